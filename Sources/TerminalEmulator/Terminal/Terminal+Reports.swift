extension TerminalCore {
    /// DA1: "VT100 with Advanced Video Option", as xterm with decTerminalID 100 and tmux
    /// answer. Higher levels (VT220: 62, VT420: 64) would promise features this engine
    /// lacks (DECSCA, DECUDK, soft fonts, NRCS, rectangle editing).
    mutating func reportPrimaryAttributes() {
        reply("\u{1B}[?1;2c")
    }

    /// DA2: terminal type 0 (VT100), firmware version 10, ROM cartridge 0.
    mutating func reportSecondaryAttributes() {
        reply("\u{1B}[>0;10;0c")
    }

    /// XTVERSION: `DCS > | name(version) ST`.
    mutating func reportVersion() {
        reply("\u{1B}P>|\(Terminal.versionString)\u{1B}\\")
    }

    /// DSR 5 (status) and 6 (CPR, relative to the margins in origin mode).
    mutating func deviceStatusReport(_ kind: Int) {
        switch kind {
        case 5: reply("\u{1B}[0n")
        case 6: reply("\u{1B}[\(cursorState.row - originTop + 1);\(cursorState.col + 1)R")
        default: break
        }
    }

    /// DEC-specific DSR: 6 (DECXCPR).
    mutating func privateDeviceStatusReport(_ kind: Int) {
        if kind == 6 {
            reply("\u{1B}[?\(cursorState.row - originTop + 1);\(cursorState.col + 1);1R")
        }
    }

    /// DECRQM for DEC private modes: `CSI ? mode ; status $ y`.
    mutating func reportPrivateMode(_ mode: Int) {
        reply("\u{1B}[?\(mode);\(privateModeStatus(mode) ?? 0)$y")
    }

    /// DECRQM for ANSI modes (IRM 4, LNM 20; KAM 2 is permanently reset).
    mutating func reportANSIMode(_ mode: Int) {
        let status: Int
        switch mode {
        case 2: status = 4
        case 4: status = modeState.insertMode ? 1 : 2
        case 20: status = modeState.newlineMode ? 1 : 2
        default: status = 0
        }
        reply("\u{1B}[\(mode);\(status)$y")
    }

    /// DECRQCRA: `DCS Pid ! ~ XXXX ST`, the 16-bit negated sum xterm computes: each cell's
    /// character (blank cells count as a space) plus 0x10 underline, 0x20 inverse,
    /// 0x40 blink, 0x80 bold. Combining marks are ignored.
    mutating func reportRectangleChecksum(_ p: VTParams) {
        let id = p.value(0) ?? 0
        let top = originTop + p.param(2, default: 1) - 1
        let left = p.param(3, default: 1) - 1
        let bottom = min(originTop + p.param(4, default: originBottom - originTop + 1) - 1, originBottom)
        let right = min(p.param(5, default: cols) - 1, cols - 1)
        var sum: UInt32 = 0
        if top <= bottom && left <= right {
            for r in top...bottom {
                for c in left...right {
                    sum &+= checksumValue(grid[r, c])
                }
            }
        }
        let value = (0 &- sum) & 0xFFFF
        let hex = String(value, radix: 16, uppercase: true)
        reply("\u{1B}P\(id)!~\(String(repeating: "0", count: 4 - hex.count))\(hex)\u{1B}\\")
    }

    private func checksumValue(_ cell: Cell) -> UInt32 {
        var v: UInt32
        if cell.isWideTail {
            v = 0x20
        } else if cell.content == 0 {
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

    // MARK: DCS

    mutating func dcsHook(_ p: VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8) {
        dcsBuffer.removeAll(keepingCapacity: true)
        if prefix == 0 && intermediates == UInt16(UInt8(ascii: "$")) && final == UInt8(ascii: "q") {
            dcsKind = .requestStatus
        } else {
            dcsKind = .ignored
        }
    }

    mutating func dcsPut(_ byte: UInt8) {
        if dcsKind == .requestStatus && dcsBuffer.count < 64 { dcsBuffer.append(byte) }
    }

    mutating func dcsUnhook(completed: Bool) {
        defer {
            dcsKind = .ignored
            dcsBuffer.removeAll(keepingCapacity: true)
        }
        guard completed, dcsKind == .requestStatus else { return }
        requestStatusString(String(decoding: dcsBuffer, as: UTF8.self))
    }

    /// DECRQSS for SGR ("m"), DECSTBM ("r") and DECSCUSR (" q").
    private mutating func requestStatusString(_ request: String) {
        let answer: String?
        switch request {
        case "m": answer = sgrReportString() + "m"
        case "r": answer = "\(scrollTop + 1);\(scrollBottom + 1)r"
        case " q": answer = "\(cursorShapeState.rawValue) q"
        default: answer = nil
        }
        if let answer {
            reply("\u{1B}P1$r\(answer)\u{1B}\\")
        } else {
            reply("\u{1B}P0$r\u{1B}\\")
        }
    }
}
