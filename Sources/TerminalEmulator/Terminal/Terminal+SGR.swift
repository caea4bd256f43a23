extension TerminalCore {
    /// SGR, accepting both `38;2;r;g;b` and `38:2::r:g:b` (and `38:2:r:g:b`) forms.
    /// `p` is `inout` only so that the raw readers below work in place, without a copy.
    mutating func selectGraphicRendition(_ p: inout VTParams) {
        var pen = cursorState.pen
        // SGR 0 resets the rendition; DECSCA protection is not part of it.
        let protection = pen.flags.intersection(.protected)
        if p.isEmpty {
            pen = Pen()
            pen.flags = protection
            currentExtras.underlineColor = 0
        }
        var i = 0
        let count = p.count
        while i < count {
            let code = Int(max(p.rawValue(i), 0))
            switch code {
            case 0:
                pen = Pen()
                pen.flags = protection
                currentExtras.underlineColor = 0
            case 1: pen.flags.insert(.bold)
            case 2: pen.flags.insert(.dim)
            case 3: pen.flags.insert(.italic)
            case 4:
                if p.groupLength(i) > 1 {
                    let style = UInt8(min(max(p.rawSubparameter(i, 1), 0), 5))
                    pen.flags.underline = UnderlineStyle(rawValue: style) ?? .none
                } else {
                    pen.flags.underline = .single
                }
            case 5, 6: pen.flags.insert(.blink)
            case 7: pen.flags.insert(.inverse)
            case 8: pen.flags.insert(.hidden)
            case 9: pen.flags.insert(.strike)
            case 21: pen.flags.underline = .double
            case 22: pen.flags.remove([.bold, .dim])
            case 23: pen.flags.remove(.italic)
            case 24: pen.flags.underline = .none
            case 25: pen.flags.remove(.blink)
            case 27: pen.flags.remove(.inverse)
            case 28: pen.flags.remove(.hidden)
            case 29: pen.flags.remove(.strike)
            case 30...37: pen.fg = TerminalColor.palette(UInt8(code - 30)).packed
            case 38: if let c = extendedColor(&p, &i) { pen.fg = c }
            case 39: pen.fg = 0
            case 40...47: pen.bg = TerminalColor.palette(UInt8(code - 40)).packed
            case 48: if let c = extendedColor(&p, &i) { pen.bg = c }
            case 49: pen.bg = 0
            case 53: pen.flags.insert(.overline)
            case 55: pen.flags.remove(.overline)
            case 58: if let c = extendedColor(&p, &i) { currentExtras.underlineColor = c }
            case 59: currentExtras.underlineColor = 0
            case 90...97: pen.fg = TerminalColor.palette(UInt8(code - 90 + 8)).packed
            case 100...107: pen.bg = TerminalColor.palette(UInt8(code - 100 + 8)).packed
            default: break
            }
            i += 1
        }
        pen.extra = currentExtras.underlineColor == 0 && currentExtras.hyperlink == 0
            ? 0 : extrasTable.intern(currentExtras)
        cursorState.pen = pen
    }

    /// Parses the colour after 38/48/58 at group `i`; advances `i` past consumed
    /// semicolon groups. Returns the packed colour or nil when malformed.
    /// (`p` is inout only so its values are read in place.)
    @inline(__always)
    private func extendedColor(_ p: inout VTParams, _ i: inout Int) -> UInt32? {
        let n = p.groupLength(i)
        if n > 1 {
            // Colon form: 38:5:n, 38:2:cs:r:g:b or 38:2:r:g:b.
            switch p.rawSubparameter(i, 1) {
            case 5:
                let idx = p.rawSubparameter(i, 2)
                guard idx >= 0, idx <= 255 else { return nil }
                return TerminalColor.palette(UInt8(idx)).packed
            case 2:
                let first = n >= 6 ? 3 : 2
                guard n >= first + 3 else { return nil }
                return rgb(p.rawSubparameter(i, first), p.rawSubparameter(i, first + 1),
                           p.rawSubparameter(i, first + 2))
            default:
                return nil
            }
        }
        switch p.rawValue(i + 1) {
        case 5:
            defer { i += 2 }
            let idx = p.rawValue(i + 2)
            guard idx >= 0, idx <= 255 else { return nil }
            return TerminalColor.palette(UInt8(idx)).packed
        case 2:
            defer { i += 4 }
            guard i + 4 < p.count else { return nil }
            return rgb(p.rawValue(i + 2), p.rawValue(i + 3), p.rawValue(i + 4))
        default:
            i += 1
            return nil
        }
    }

    /// Packs raw components (-1 = omitted, counted as 0); nil when one is above 255.
    @inline(__always)
    private func rgb(_ r: Int32, _ g: Int32, _ b: Int32) -> UInt32? {
        guard r <= 255, g <= 255, b <= 255 else { return nil }
        return TerminalColor.rgb(UInt8(max(r, 0)), UInt8(max(g, 0)), UInt8(max(b, 0))).packed
    }

    /// The current pen as an SGR parameter string (for DECRQSS), e.g. "0;1;38;2;1;2;3".
    func sgrReportString() -> String {
        let pen = cursorState.pen
        var parts = ["0"]
        let flagCodes: [(CellFlags, String)] = [
            (.bold, "1"), (.dim, "2"), (.italic, "3"), (.blink, "5"),
            (.inverse, "7"), (.hidden, "8"), (.strike, "9"), (.overline, "53"),
        ]
        for (flag, code) in flagCodes where pen.flags.contains(flag) { parts.append(code) }
        switch pen.flags.underline {
        case .none: break
        case .single: parts.append("4")
        case let style: parts.append("4:\(style.rawValue)")
        }
        parts.append(contentsOf: colorCodes(pen.fg, base: 30, extended: 38))
        parts.append(contentsOf: colorCodes(pen.bg, base: 40, extended: 48))
        if currentExtras.underlineColor != 0 {
            parts.append(contentsOf: colorCodes(currentExtras.underlineColor, base: nil, extended: 58))
        }
        return parts.joined(separator: ";")
    }

    private func colorCodes(_ packed: UInt32, base: Int?, extended: Int) -> [String] {
        switch TerminalColor(packed: packed) {
        case .default:
            return []
        case .palette(let i):
            if let base, i < 8 { return ["\(base + Int(i))"] }
            if let base, i < 16 { return ["\(base + 60 + Int(i) - 8)"] }
            return ["\(extended)", "5", "\(i)"]
        case .rgb(let r, let g, let b):
            return ["\(extended)", "2", "\(r)", "\(g)", "\(b)"]
        }
    }
}
