/// One XTWINOPS title stack entry: what `CSI 22 ; Ps t` saved (nil = not saved).
struct TitleStackEntry: Sendable {
    var icon: String?
    var title: String?
}

extension TerminalCore {
    /// XTWINOPS (`CSI Ps ; ... t`, ctlseqs "Window manipulation"): the reports and the title
    /// stack. Window moves, resizes and raises (1-9, 24+) are ignored: the pane's size
    /// belongs to the embedder.
    mutating func windowOperation(_ p: VTParams) {
        let cellW = cellPixelSize.width, cellH = cellPixelSize.height
        switch p.value(0) ?? 0 {
        case 11: reply("\u{1B}[1t")  // not iconified
        case 13: reply("\u{1B}[3;0;0t")  // window (or, with 13;2, text area) position
        case 14: reply("\u{1B}[4;\(rows * cellH);\(cols * cellW)t")  // text area (14;2: window) in pixels
        case 15: reply("\u{1B}[5;\(rows * cellH);\(cols * cellW)t")  // the screen: the pane is all we have
        case 16: reply("\u{1B}[6;\(cellH);\(cellW)t")
        case 18: reply("\u{1B}[8;\(rows);\(cols)t")
        case 19: reply("\u{1B}[9;\(rows);\(cols)t")
        case 20: reply("\u{1B}]L\(TerminalCore.reportable(iconTitle))\u{1B}\\")
        case 21: reply("\u{1B}]l\(TerminalCore.reportable(windowTitle))\u{1B}\\")
        case 22: pushTitle(p.value(1) ?? 0)
        case 23: popTitle(p.value(1) ?? 0)
        default: break
        }
    }

    /// A title as it may be sent back to the program: C0 and C1 controls and DEL removed,
    /// so a title cannot end the report early and smuggle input to the shell.
    static func reportable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter {
            $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value)
        }))
    }

    /// `CSI 22 ; Ps t`: saves the icon name (Ps 1), the title (2) or both (0) on the stack
    /// (at most `Terminal.maxTitleStack` entries; the oldest is dropped, as in xterm).
    private mutating func pushTitle(_ which: Int) {
        guard (0...2).contains(which) else { return }
        if titleStack.count >= Terminal.maxTitleStack { titleStack.removeFirst() }
        titleStack.append(TitleStackEntry(icon: which == 2 ? nil : iconTitle,
                                          title: which == 1 ? nil : windowTitle))
    }

    /// `CSI 23 ; Ps t`: pops the top entry and restores the icon name (1), the title (2) or
    /// both (0) from it when it holds them.
    private mutating func popTitle(_ which: Int) {
        guard (0...2).contains(which), let entry = titleStack.popLast() else { return }
        if which != 2, let icon = entry.icon { setIconName(icon) }
        if which != 1, let title = entry.title { setTitle(title) }
    }
}
