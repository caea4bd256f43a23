extension TerminalCore {
    /// DA1: a VT420 (`64`) with the extensions this engine implements: 6 selective erase,
    /// 17 terminal state interrogation (DECRQSS, DECRQM, DECXCPR...), 21 horizontal
    /// scrolling (SL/SR, DECIC/DECDC, left/right margins), 22 ANSI colour, 28 rectangular
    /// editing. Not claimed: 1 (132 columns), 2 (printer), 8 (UDK), 9 (NRCS), 15 (technical
    /// set), 16/29 (locator), 18 (windowing), 4 (sixel).
    mutating func reportPrimaryAttributes() {
        reply("\u{1B}[?64;6;17;21;22;28c")
    }

    /// DA2: terminal type 41 (VT420, as xterm with decTerminalID 420), firmware version 10,
    /// ROM cartridge 0.
    mutating func reportSecondaryAttributes() {
        reply("\u{1B}[>41;10;0c")
    }

    /// DA3 (`CSI = c`, DECRPTUI): `DCS ! | 00000000 ST`, the all-zero unit id xterm sends.
    mutating func reportTertiaryAttributes() {
        guard conformanceLevel >= 4 else { return }
        reply("\u{1B}P!|00000000\u{1B}\\")
    }

    /// XTVERSION: `DCS > | name(version) ST`.
    mutating func reportVersion() {
        reply("\u{1B}P>|\(Terminal.versionString)\u{1B}\\")
    }

    /// The 1-based position CPR and DECXCPR report: relative to the top and left margins in
    /// origin mode.
    private var reportedPosition: String {
        let row = cursorState.row - (modeState.originMode ? scrollTop : 0) + 1
        let col = cursorState.col - (modeState.originMode ? leftMargin : 0) + 1
        return "\(row);\(col)"
    }

    /// DSR 5 (status) and 6 (CPR).
    mutating func deviceStatusReport(_ kind: Int) {
        switch kind {
        case 5: reply("\u{1B}[0n")
        case 6: reply("\u{1B}[\(reportedPosition)R")
        default: break
        }
    }

    /// DEC-specific DSR (`CSI ? Ps n`), answered as xterm does for a VT420 (VT510 manual,
    /// "DSR"): 5 status, 6 DECXCPR (page 1), 15 no printer, 25 UDK unlocked, 26 North
    /// American keyboard (LK201, ready), 53 and 55 no locator, 56 locator type unknown, 62 DECMSR
    /// (no macro space), 63 DECCKSR (memory checksum 0), 75 data integrity (no errors),
    /// 85 multiple sessions (not configured).
    mutating func privateDeviceStatusReport(_ p: VTParams) {
        let level = conformanceLevel
        switch p.value(0) ?? 0 {
        case 5: reply("\u{1B}[?0n")
        case 6: reply("\u{1B}[?\(reportedPosition)\(level >= 4 ? ";1" : "")R")
        case 15: if level >= 2 { reply("\u{1B}[?13n") }
        case 25: if level >= 2 { reply("\u{1B}[?20n") }
        case 26: if level >= 2 { reply("\u{1B}[?27;1\(level >= 3 ? ";0" : "")\(level >= 4 ? ";0" : "")n") }
        case 53, 55: if level >= 3 { reply("\u{1B}[?53n") }
        case 56: if level >= 3 { reply("\u{1B}[?57;0n") }
        case 62: if level >= 4 { reply("\u{1B}[0000*{") }
        case 63: if level >= 4 { reply("\u{1B}P\(p.value(1) ?? 0)!~0000\u{1B}\\") }
        case 75: if level >= 4 { reply("\u{1B}[?70n") }
        case 85: if level >= 4 { reply("\u{1B}[?83n") }
        default: break
        }
    }

    /// DECRQM for DEC private modes: `CSI ? mode ; status $ y`.
    mutating func reportPrivateMode(_ mode: Int) {
        reply("\u{1B}[?\(mode);\(privateModeStatus(mode) ?? 0)$y")
    }

    /// DECRQM for ANSI modes: IRM 4 and LNM 20 set or reset; KAM 2 permanently reset (the
    /// keyboard never locks); SRM 12 permanently set (nothing is echoed locally).
    mutating func reportANSIMode(_ mode: Int) {
        let status: Int
        switch mode {
        case 2: status = 4
        case 4: status = modeState.insertMode ? 1 : 2
        case 12: status = 3
        case 20: status = modeState.newlineMode ? 1 : 2
        default: status = 0
        }
        reply("\u{1B}[\(mode);\(status)$y")
    }

    /// DECSCL (`CSI Pl ; Pc " p`): operating level 61...64 (VT100...VT420; higher ones are
    /// refused, as xterm refuses levels above its terminal id). A soft reset, then for
    /// levels above 1 the control form: Pc 1 7-bit, 0 or 2 8-bit (VT510 "DECSCL").
    mutating func setConformanceLevel(_ p: VTParams) {
        guard let requested = p.value(0), (61...64).contains(requested) else { return }
        softReset()
        conformanceLevel = requested - 60
        if conformanceLevel == 1 {
            modeState.eightBitControls = false
        } else {
            modeState.eightBitControls = (p.value(1) ?? 0) != 1
        }
    }

    /// DECSCA (`CSI Ps " q`): 1 marks characters written from now on as protected from
    /// selective erase; 0 and 2 do not.
    mutating func selectCharacterProtection(_ value: Int) {
        switch value {
        case 0, 2: cursorState.pen.flags.remove(.protected)
        case 1: cursorState.pen.flags.insert(.protected)
        default: break
        }
    }
}
