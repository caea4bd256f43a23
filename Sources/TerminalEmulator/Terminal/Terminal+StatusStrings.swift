extension TerminalCore {
    // MARK: DCS

    mutating func dcsHook(_ p: VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8) {
        lastPrinted = 0
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

    /// DECRQSS (`DCS $ q Pt ST`): `DCS 1 $ r value Pt ST` for SGR (`m`), DECSTBM (`r`),
    /// DECSLRM (`s`), DECSCUSR (` q`), DECSCL (`"p`), DECSCA (`"q`), DECSACE (`*x`), and
    /// the page geometry xterm also reports: DECSLPP (`t`, lines), DECSNLS (`*|`, lines),
    /// DECSCPP (`$|`, columns), DECSASD (`$}`, 0: the main display) and DECSSDT (`$~`, 0:
    /// no status line); `DCS 0 $ r ST` for anything else (VT510 "DECRQSS").
    private mutating func requestStatusString(_ request: String) {
        let answer: String?
        switch request {
        case "m": answer = sgrReportString() + "m"
        case "r": answer = "\(scrollTop + 1);\(scrollBottom + 1)r"
        case "s": answer = "\(leftMargin + 1);\(rightMargin + 1)s"
        case " q": answer = "\(cursorShapeState.rawValue) q"
        case "\"p":
            let controls = conformanceLevel >= 2 ? (modeState.eightBitControls ? ";0" : ";1") : ""
            answer = "\(60 + conformanceLevel)\(controls)\"p"
        case "\"q": answer = cursorState.pen.flags.contains(.protected) ? "1\"q" : "0\"q"
        case "*x": answer = "\(attributeChangeExtent)*x"
        case "t": answer = "\(rows)t"
        case "*|": answer = "\(rows)*|"
        case "$|": answer = "\(cols)$|"
        case "$}": answer = "0$}"
        case "$~": answer = "0$~"
        default: answer = nil
        }
        if let answer {
            reply("\u{1B}P1$r\(answer)\u{1B}\\")
        } else {
            reply("\u{1B}P0$r\u{1B}\\")
        }
    }
}
