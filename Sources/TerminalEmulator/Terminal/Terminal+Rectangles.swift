/// A rectangle of cells, 0-based and inclusive.
struct CellRectangle: Equatable {
    var top: Int
    var left: Int
    var bottom: Int
    var right: Int

    var height: Int { bottom - top + 1 }
    var width: Int { right - left + 1 }
}

extension TerminalCore {
    /// Reads `Pt ; Pl ; Pb ; Pr` from parameter `index` on (VT510 "Rectangular Area
    /// Operations"): 1-based, 0 or missing meaning the first line/column for Pt/Pl and the
    /// last for Pb/Pr; relative to and clipped by the margins in origin mode. nil when empty.
    func rectangle(_ p: VTParams, at index: Int) -> CellRectangle? {
        let origin = modeState.originMode
        let rowBase = origin ? scrollTop : 0, colBase = origin ? leftMargin : 0
        let maxRow = origin ? scrollBottom : rows - 1, maxCol = origin ? rightMargin : cols - 1
        let top = rowBase + p.param(index, default: 1) - 1
        let left = colBase + p.param(index + 1, default: 1) - 1
        let bottom = min(rowBase + p.param(index + 2, default: rows) - 1, maxRow)
        let right = min(colBase + p.param(index + 3, default: cols) - 1, maxCol)
        guard top <= bottom, left <= right else { return nil }
        return CellRectangle(top: top, left: left, bottom: bottom, right: right)
    }

    /// `CSI ... $ final`: DECCRA `v`, DECFRA `x`, DECERA `z`, DECSERA `{`, DECCARA `r`,
    /// DECRARA `t`. VT420 level only (xterm: `vtXX_level >= 4`).
    mutating func rectangleOperation(_ p: VTParams, final: UInt8) {
        guard conformanceLevel >= 4 else { return }
        switch final {
        case UInt8(ascii: "v"): copyRectangle(p)
        case UInt8(ascii: "x"): fillRectangle(p)
        case UInt8(ascii: "z"): if let r = rectangle(p, at: 0) { eraseRectangle(r, selective: false) }
        case UInt8(ascii: "{"): if let r = rectangle(p, at: 0) { eraseRectangle(r, selective: true) }
        case UInt8(ascii: "r"): changeAttributes(p, reverse: false)
        case UInt8(ascii: "t"): changeAttributes(p, reverse: true)
        default: break
        }
    }

    /// DECCRA (`CSI Pts;Pls;Pbs;Prs;Pps;Ptd;Pld;Ppd $ v`): copies the source rectangle,
    /// characters and attributes, to the destination's top-left corner (origin-relative,
    /// clipped to the screen or the margins). Overlapping areas copy as if through a buffer.
    /// Pages are ignored: there is one.
    private mutating func copyRectangle(_ p: VTParams) {
        guard let source = rectangle(p, at: 0) else { return }
        let origin = modeState.originMode
        let top = (origin ? scrollTop : 0) + p.param(5, default: 1) - 1
        let left = (origin ? leftMargin : 0) + p.param(6, default: 1) - 1
        let maxRow = origin ? scrollBottom : rows - 1, maxCol = origin ? rightMargin : cols - 1
        guard top <= maxRow, left <= maxCol else { return }
        let height = min(source.height, maxRow - top + 1), width = min(source.width, maxCol - left + 1)
        let block = (0..<height).map { Array(grid[line: source.top + $0].cells[source.left..<(source.left + width)]) }
        for (offset, cells) in block.enumerated() {
            let row = top + offset
            grid.splitWide(row: row, at: left)
            grid.splitWide(row: row, at: left + width)
            grid[line: row].cells.replaceSubrange(left..<(left + width), with: cells)
            repairWideEdges(row: row, from: left, to: left + width - 1)
        }
        markDirty(from: top, through: top + height - 1)
    }

    /// DECFRA (`CSI Pch;Pt;Pl;Pb;Pr $ x`): fills with the character `Pch` in the current
    /// rendition. Pch must be printable (32-126, 160-255, or a wider Unicode character of
    /// width 1, as xterm allows); it goes through the GL character set.
    private mutating func fillRectangle(_ p: VTParams) {
        guard let code = p.value(0), let r = rectangle(p, at: 1) else { return }
        let scalar = UInt32(code)
        guard (32...126).contains(scalar) || (scalar >= 160 && width(of: scalar) == 1) else { return }
        let cell = cursorState.pen.cell(cursorState.charsets.g[cursorState.charsets.gl].map(scalar))
        for row in r.top...r.bottom { grid.fill(row: row, from: r.left, to: r.right + 1, with: cell) }
        markDirty(from: r.top, through: r.bottom)
    }

    /// DECERA (`CSI Pt;Pl;Pb;Pr $ z`): blanks in the current background. DECSERA (`$ {`,
    /// `selective`) only removes the characters of unprotected cells and leaves their
    /// attributes and colours (xterm `ScrnWipeRectangle`).
    private mutating func eraseRectangle(_ r: CellRectangle, selective: Bool) {
        for row in r.top...r.bottom {
            if selective {
                grid.wipeUnprotected(row: row, from: r.left, to: r.right + 1)
            } else {
                grid.fill(row: row, from: r.left, to: r.right + 1, with: eraseCell)
            }
        }
        markDirty(from: r.top, through: r.bottom)
    }

    /// DECCARA (`CSI Pt;Pl;Pb;Pr;Ps... $ r`) sets or clears, DECRARA (`$ t`) toggles the
    /// attributes 1 bold, 4 underline, 5 blink, 7 inverse, 8 invisible; DECCARA also takes
    /// 0 (bold, underline, blink and inverse off) and 22/24/25/27/28 (one off). As in xterm's
    /// `ScrnMarkRectangle`, no Ps changes nothing and DECRARA ignores 0. With DECSACE 2 the
    /// area is the rectangle; otherwise the character stream from (Pt, Pl) to (Pb, Pr)
    /// across whole lines. Colours are left alone.
    private mutating func changeAttributes(_ p: VTParams, reverse: Bool) {
        guard p.count > 4, let r = rectangle(p, at: 0) else { return }
        let codes = (4..<p.count).map { p.value($0) ?? 0 }
        let rectangular = attributeChangeExtent == 2
        for row in r.top...r.bottom {
            let lo = rectangular || row == r.top ? r.left : 0
            let hi = rectangular || row == r.bottom ? r.right : cols - 1
            guard lo <= hi else { continue }
            grid[line: row].cells.withUnsafeMutableBufferPointer { buf in
                for c in lo...hi {
                    for code in codes { TerminalCore.applyAttribute(code, to: &buf[c].flags, toggle: reverse) }
                }
            }
            repairWideEdges(row: row, from: lo, to: hi)
        }
        markDirty(from: r.top, through: r.bottom)
    }

    private static func applyAttribute(_ code: Int, to flags: inout CellFlags, toggle: Bool) {
        func set(_ flag: CellFlags, _ on: Bool) {
            if toggle {
                if flags.contains(flag) { flags.remove(flag) } else { flags.insert(flag) }
            } else if on {
                flags.insert(flag)
            } else {
                flags.remove(flag)
            }
        }
        func underline(_ on: Bool) {
            let isOn = flags.underline != .none
            let want = toggle ? !isOn : on
            if want != isOn { flags.underline = want ? .single : .none }
        }
        switch code {
        case 0 where !toggle:
            flags.remove([.bold, .blink, .inverse])
            flags.underline = .none
        case 1: set(.bold, true)
        case 4: underline(true)
        case 5: set(.blink, true)
        case 7: set(.inverse, true)
        case 8: set(.hidden, true)
        case 22 where !toggle: set(.bold, false)
        case 24 where !toggle: underline(false)
        case 25 where !toggle: set(.blink, false)
        case 27 where !toggle: set(.inverse, false)
        case 28 where !toggle: set(.hidden, false)
        default: break
        }
    }

    /// Gives the right half of each wide character in `from...to` (and across the edges)
    /// its left half's attributes again after an operation changed one of them.
    private mutating func repairWideEdges(row: Int, from: Int, to: Int) {
        let lo = max(from - 1, 0), hi = min(to + 1, cols - 1)
        guard lo <= hi else { return }
        grid[line: row].cells.withUnsafeMutableBufferPointer { buf in
            for c in lo...hi where buf[c].flags.contains(.wide) {
                guard c + 1 < buf.count, buf[c + 1].flags.contains(.wideTail) else {
                    buf[c] = .blank(bg: buf[c].bgPacked)  // a head without its tail
                    continue
                }
                var tail = buf[c]
                tail.content = 0
                tail.flags.remove(.wide)
                tail.flags.insert(.wideTail)
                buf[c + 1] = tail
            }
            for c in lo...hi where buf[c].flags.contains(.wideTail) && (c == 0 || !buf[c - 1].flags.contains(.wide)) {
                buf[c] = .blank(bg: buf[c].bgPacked)  // a tail without its head
            }
        }
    }

    /// DECRQCRA (`CSI Pi;Pg;Pt;Pl;Pb;Pr * y`): `DCS Pi ! ~ XXXX ST`, the 16-bit negated sum
    /// xterm computes: each cell's character (blank cells count as a space) plus 0x10
    /// underline, 0x20 inverse, 0x40 blink, 0x80 bold. Combining marks are ignored.
    mutating func reportRectangleChecksum(_ p: VTParams) {
        guard conformanceLevel >= 4 else { return }
        let id = p.value(0) ?? 0
        var sum: UInt32 = 0
        if let r = rectangle(p, at: 2) {
            for row in r.top...r.bottom {
                for c in r.left...r.right { sum &+= checksumValue(grid[row, c]) }
            }
        }
        let value = (0 &- sum) & 0xFFFF
        let hex = String(value, radix: 16, uppercase: true)
        reply("\u{1B}P\(id)!~\(String(repeating: "0", count: 4 - hex.count))\(hex)\u{1B}\\")
    }

    private func checksumValue(_ cell: Cell) -> UInt32 {
        var v: UInt32
        if cell.isWideTail || cell.content == 0 {
            v = 0x20
        } else {
            v = graphemes.scalars(of: cell.content).first ?? 0x20
        }
        if cell.flags.underline != .none { v &+= 0x10 }
        if cell.flags.contains(.inverse) { v &+= 0x20 }
        if cell.flags.contains(.blink) { v &+= 0x40 }
        if cell.flags.contains(.bold) { v &+= 0x80 }
        return v
    }
}
