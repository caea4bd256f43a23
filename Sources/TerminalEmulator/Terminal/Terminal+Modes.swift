extension TerminalCore {
    /// SM / RM (ANSI modes): IRM 4 and LNM 20.
    mutating func setANSIModes(_ p: VTParams, enabled: Bool) {
        for i in 0..<p.count {
            switch p.value(i) ?? 0 {
            case 4: modeState.insertMode = enabled
            case 20: modeState.newlineMode = enabled
            default: break
            }
        }
    }

    /// DECSET / DECRST.
    mutating func setPrivateModes(_ p: VTParams, enabled: Bool) {
        for i in 0..<p.count {
            setPrivateMode(p.value(i) ?? 0, enabled: enabled)
        }
    }

    /// XTSAVE (`CSI ? Pm s`): remembers the current setting of each listed mode that has
    /// one (1048 and unknown modes are skipped).
    mutating func savePrivateModes(_ p: VTParams) {
        for i in 0..<p.count {
            guard let mode = p.value(i), mode != 1048, let status = privateModeStatus(mode) else { continue }
            savedPrivateModes[mode] = status == 1
        }
    }

    /// XTRESTORE (`CSI ? Pm r`): puts each listed mode back as XTSAVE saw it. Modes that
    /// were off are applied first, so restoring exclusive modes (mouse tracking 1000/1002)
    /// ends with the one that was on.
    mutating func restorePrivateModes(_ p: VTParams) {
        let modes = (0..<p.count).compactMap { p.value($0) }
        for enabled in [false, true] {
            for mode in modes where savedPrivateModes[mode] == enabled {
                setPrivateMode(mode, enabled: enabled)
            }
        }
    }

    private mutating func setPrivateMode(_ mode: Int, enabled: Bool) {
        switch mode {
        case 1: modeState.applicationCursorKeys = enabled
        case 5:
            if modeState.reverseVideo != enabled { markAllDirty() }
            modeState.reverseVideo = enabled
        case 6:
            modeState.originMode = enabled
            cursorPosition(row: 0, col: 0)
        case 7:
            modeState.autowrap = enabled
            if !enabled { cursorState.pendingWrap = false }
        case 9: modeState.mouseTracking = enabled ? .x10 : .none
        case 12: modeState.cursorBlink = enabled
        case 25: modeState.cursorVisible = enabled
        case 45: modeState.reverseWrap = enabled
        case 69:  // DECLRMM, a VT420 feature (xterm: vtXX_level >= 4)
            guard conformanceLevel >= 4 else { return }
            modeState.leftRightMarginMode = enabled
            if !enabled { resetHorizontalMargins() }
        case 1045: modeState.extendedReverseWrap = enabled
        case 47: switchScreen(toAlternate: enabled, clearAlternate: false)
        case 66: modeState.applicationKeypad = enabled
        case 1000: modeState.mouseTracking = enabled ? .normal : .none
        case 1002: modeState.mouseTracking = enabled ? .buttonEvent : .none
        case 1003: modeState.mouseTracking = enabled ? .anyEvent : .none
        case 1004: modeState.focusEvents = enabled
        case 1005: setMouseEncoding(.utf8, enabled)
        case 1006: setMouseEncoding(.sgr, enabled)
        case 1015: setMouseEncoding(.urxvt, enabled)
        case 1047:
            if enabled {
                switchScreen(toAlternate: true, clearAlternate: false)
            } else {
                if modeState.alternateScreen { clearScreen() }
                switchScreen(toAlternate: false, clearAlternate: false)
            }
        case 1048:
            if enabled { saveCursor() } else { restoreCursor() }
        case 1049:
            if enabled {
                if !modeState.alternateScreen { saveCursor() }
                switchScreen(toAlternate: true, clearAlternate: true)
            } else {
                if modeState.alternateScreen {
                    switchScreen(toAlternate: false, clearAlternate: false)
                    restoreCursor()
                }
            }
        case 2004: modeState.bracketedPaste = enabled
        case 2026: modeState.synchronizedOutput = enabled
        default: break
        }
    }

    private mutating func setMouseEncoding(_ encoding: MouseEncoding, _ enabled: Bool) {
        if enabled {
            modeState.mouseEncoding = encoding
        } else if modeState.mouseEncoding == encoding {
            modeState.mouseEncoding = .x10
        }
    }

    /// Swaps the active buffer. The cursor position is shared, as in xterm.
    mutating func switchScreen(toAlternate: Bool, clearAlternate: Bool) {
        if toAlternate != modeState.alternateScreen {
            swap(&grid, &inactiveGrid)
            modeState.alternateScreen = toAlternate
            markAllDirty()
        }
        if toAlternate && clearAlternate { clearScreen() }
    }

    private mutating func clearScreen() {
        let fill = eraseCell
        for r in 0..<rows { clearLine(r, fill) }
        markAllDirty()
    }

    /// The DECRQM status of a private mode: 1 set, 2 reset, 0 unknown.
    func privateModeStatus(_ mode: Int) -> Int? {
        let m = modeState
        switch mode {
        case 1: return m.applicationCursorKeys ? 1 : 2
        case 5: return m.reverseVideo ? 1 : 2
        case 6: return m.originMode ? 1 : 2
        case 7: return m.autowrap ? 1 : 2
        case 9: return m.mouseTracking == .x10 ? 1 : 2
        case 12: return m.cursorBlink ? 1 : 2
        case 25: return m.cursorVisible ? 1 : 2
        case 45: return m.reverseWrap ? 1 : 2
        case 69: return m.leftRightMarginMode ? 1 : 2
        case 1045: return m.extendedReverseWrap ? 1 : 2
        case 47, 1047, 1049: return m.alternateScreen ? 1 : 2
        case 66: return m.applicationKeypad ? 1 : 2
        case 1000: return m.mouseTracking == .normal ? 1 : 2
        case 1002: return m.mouseTracking == .buttonEvent ? 1 : 2
        case 1003: return m.mouseTracking == .anyEvent ? 1 : 2
        case 1004: return m.focusEvents ? 1 : 2
        case 1005: return m.mouseEncoding == .utf8 ? 1 : 2
        case 1006: return m.mouseEncoding == .sgr ? 1 : 2
        case 1015: return m.mouseEncoding == .urxvt ? 1 : 2
        case 1048: return (m.alternateScreen ? savedCursorAlternate : savedCursorPrimary) == nil ? 2 : 1
        case 2004: return m.bracketedPaste ? 1 : 2
        case 2026: return m.synchronizedOutput ? 1 : 2
        default: return nil
        }
    }

    /// DECSCUSR.
    mutating func setCursorShape(_ value: Int) {
        guard value <= 6 else { return }
        let shape = CursorShape(rawValue: max(value, 1)) ?? .blinkingBlock
        cursorShapeState = shape
        emit(.cursorShape(shape))
    }

    // MARK: Resets

    /// RIS: back to the power-on state (the scrollback and title are kept; colours the
    /// program set go back to the scheme's, as xterm's reset does).
    mutating func fullReset() {
        let keepTitle = windowTitle
        if modeState.alternateScreen { swap(&grid, &inactiveGrid) }
        modeState = TerminalModes()
        cursorState = CursorState()
        savedCursorPrimary = nil
        savedCursorAlternate = nil
        scrollTop = 0
        scrollBottom = rows - 1
        resetHorizontalMargins()
        savedPrivateModes = [:]
        conformanceLevel = 4
        attributeChangeExtent = 0
        if !colorOverrides.isEmpty {
            colorOverrides = [:]
            emit(.colorsChanged)
        }
        tabStops = TerminalCore.defaultTabStops(cols: cols)
        cursorShapeState = .blinkingBlock
        currentExtras = CellExtras()
        lastPrinted = 0
        titleStack = []
        windowTitle = keepTitle
        for r in 0..<rows { clearLine(r, .blank) }
        inactiveGrid = Grid(cols: cols, rows: rows)
        markAllDirty()
    }

    /// DECSTR: soft reset of modes, all four margins, pen (DECSCA protection too),
    /// charsets and saved cursor.
    mutating func softReset() {
        modeState.insertMode = false
        modeState.originMode = false
        modeState.autowrap = true
        modeState.cursorVisible = true
        modeState.applicationCursorKeys = false
        modeState.applicationKeypad = false
        scrollTop = 0
        scrollBottom = rows - 1
        resetHorizontalMargins()
        cursorState.pen = Pen()
        currentExtras = CellExtras()
        cursorState.charsets = CharsetState()
        cursorState.pendingWrap = false
        if modeState.alternateScreen { savedCursorAlternate = nil } else { savedCursorPrimary = nil }
    }

    /// ESC ( ) * + final: designates a character set into G0...G3.
    mutating func designateCharset(_ slot: Int, _ final: UInt8) {
        switch final {
        case UInt8(ascii: "0"): cursorState.charsets.g[slot] = .decSpecialGraphics
        case UInt8(ascii: "A"): cursorState.charsets.g[slot] = .british
        case UInt8(ascii: "B"): cursorState.charsets.g[slot] = .ascii
        default: break
        }
    }
}
