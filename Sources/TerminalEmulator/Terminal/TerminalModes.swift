/// Mouse reporting requested by the application (DECSET 9, 1000, 1002, 1003).
public enum MouseTracking: Sendable, Equatable {
    /// No mouse reports.
    case none
    /// Mode 9: button presses only.
    case x10
    /// Mode 1000: presses and releases.
    case normal
    /// Mode 1002: presses, releases and motion while a button is held.
    case buttonEvent
    /// Mode 1003: all motion.
    case anyEvent
}

/// How mouse reports are encoded (DECSET 1005, 1006, 1015; default is X10 bytes).
public enum MouseEncoding: Sendable, Equatable {
    /// `CSI M Cb Cx Cy` with single bytes (coordinates up to 223).
    case x10
    /// Mode 1005: like X10 but coordinates UTF-8 encoded.
    case utf8
    /// Mode 1006: `CSI < b ; x ; y M/m`.
    case sgr
    /// Mode 1015: `CSI b ; x ; y M`.
    case urxvt
}

/// DECSCUSR cursor shapes.
public enum CursorShape: Int, Sendable, Equatable {
    /// DECSCUSR 0 or 1.
    case blinkingBlock = 1
    /// DECSCUSR 2.
    case steadyBlock = 2
    /// DECSCUSR 3.
    case blinkingUnderline = 3
    /// DECSCUSR 4.
    case steadyUnderline = 4
    /// DECSCUSR 5.
    case blinkingBar = 5
    /// DECSCUSR 6.
    case steadyBar = 6
}

/// The terminal modes the key encoder and renderer need.
public struct TerminalModes: Sendable, Equatable {
    /// DECCKM (?1): cursor keys send SS3 sequences.
    public var applicationCursorKeys = false
    /// DECKPAM / DECKPNM: keypad sends application sequences.
    public var applicationKeypad = false
    /// DECSCNM (?5): reverse video for the whole screen.
    public var reverseVideo = false
    /// DECOM (?6): cursor addressing relative to the scroll region.
    public var originMode = false
    /// DECAWM (?7): automatic wrap at the right margin.
    public var autowrap = true
    /// ?12: cursor blinking requested.
    public var cursorBlink = false
    /// DECTCEM (?25): cursor shown.
    public var cursorVisible = true
    /// The alternate screen buffer is active (?47, ?1047, ?1049).
    public var alternateScreen = false
    /// ?2004: pasted text is wrapped in `ESC [200~` ... `ESC [201~`.
    public var bracketedPaste = false
    /// IRM (4): printed characters shift the line right.
    public var insertMode = false
    /// LNM (20): LF also returns the carriage; Return sends CR LF.
    public var newlineMode = false
    /// Mouse tracking mode.
    public var mouseTracking: MouseTracking = .none
    /// Mouse report encoding.
    public var mouseEncoding: MouseEncoding = .x10
    /// ?1004: focus in/out reports.
    public var focusEvents = false
    /// ?2026: synchronized output; renderers should hold frames while set.
    public var synchronizedOutput = false
    /// DECLRMM (?69): left and right margins (DECSLRM) are honoured; `CSI s` sets them.
    public var leftRightMarginMode = false
    /// ?45: reverse wraparound (BS and CUB move onto the previous, soft-wrapped line).
    public var reverseWrap = false
    /// ?1045: extended reverse wraparound (onto any previous line, and from the top to the bottom).
    public var extendedReverseWrap = false
    /// S8C1T: replies use 8-bit C1 controls (UTF-8 encoded) instead of `ESC` + Fe.
    public var eightBitControls = false

    /// Default modes after RIS.
    public init() {}
}

/// Something the embedder may want to act on, surfaced by `Terminal.takeEvents()`.
public enum TerminalEvent: Sendable, Equatable {
    /// BEL.
    case bell
    /// OSC 0/2 or a title popped from the stack.
    case title(String)
    /// OSC 0/1.
    case iconName(String)
    /// OSC 7: the shell's working directory (usually a `file://host/path` URI).
    case workingDirectory(String)
    /// OSC 52 set: `selection` is the Pc parameter (e.g. "c"), `data` the decoded bytes.
    /// The embedder decides whether to honour it.
    case clipboardSet(selection: String, data: [UInt8])
    /// OSC 52 query (`?`): answer with `Terminal.replyClipboard(selection:data:)` if allowed.
    case clipboardQuery(selection: String)
    /// DECSCUSR changed the cursor shape.
    case cursorShape(CursorShape)
    /// OSC 4/5/10-19 set or OSC 104/105/110-119 reset colours: redraw the pane with
    /// `Terminal.color(_:)` (the program's override, or the scheme's colour).
    case colorsChanged
}
