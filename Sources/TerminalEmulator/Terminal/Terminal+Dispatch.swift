extension TerminalCore: VTParserHandler {
    @inline(__always)
    mutating func print(_ scalar: UInt32) { printScalar(scalar) }
    // printScalars(_:) is implemented in Terminal+Print.swift.
    @inline(__always)
    mutating func csiDispatch(_ params: inout VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8) {
        dispatchCSI(&params, prefix: prefix, intermediates: intermediates, final: final)
    }
    mutating func escDispatch(intermediates: UInt16, final: UInt8) {
        dispatchESC(intermediates: intermediates, final: final)
    }
    mutating func oscDispatch(_ data: UnsafeBufferPointer<UInt8>, bellTerminated: Bool) {
        lastPrinted = 0
        dispatchOSC(data, bellTerminated: bellTerminated)
    }
}

extension TerminalCore {
    /// C0 controls and the C1 controls that act alone.
    mutating func execute(_ control: UInt8) {
        lastPrinted = 0
        switch control {
        case 0x07: emit(.bell)
        case 0x08: backspace()
        case 0x09: tabForward(1)
        case 0x0A, 0x0B, 0x0C:
            lineFeed()
        case 0x0D: carriageReturn()
        case 0x0E: cursorState.charsets.gl = 1
        case 0x0F: cursorState.charsets.gl = 0
        case 0x84: index()
        case 0x85: nextLine()
        case 0x88: setTabStop()
        case 0x8D: reverseIndex()
        case 0x8E: cursorState.charsets.singleShift = 2
        case 0x8F: cursorState.charsets.singleShift = 3
        default: break
        }
    }

    /// `ESC intermediates final`.
    mutating func dispatchESC(intermediates: UInt16, final: UInt8) {
        lastPrinted = 0
        let space = UInt16(UInt8(ascii: " "))
        switch (intermediates, final) {
        case (0, UInt8(ascii: "6")): backIndex()
        case (0, UInt8(ascii: "7")): saveCursor()
        case (0, UInt8(ascii: "8")): restoreCursor()
        case (0, UInt8(ascii: "9")): forwardIndex()
        case (space, UInt8(ascii: "F")): if conformanceLevel >= 2 { modeState.eightBitControls = false }
        case (space, UInt8(ascii: "G")): if conformanceLevel >= 2 { modeState.eightBitControls = true }
        case (0, UInt8(ascii: "D")): index()
        case (0, UInt8(ascii: "E")): nextLine()
        case (0, UInt8(ascii: "H")): setTabStop()
        case (0, UInt8(ascii: "M")): reverseIndex()
        case (0, UInt8(ascii: "N")): cursorState.charsets.singleShift = 2
        case (0, UInt8(ascii: "O")): cursorState.charsets.singleShift = 3
        case (0, UInt8(ascii: "n")): cursorState.charsets.gl = 2
        case (0, UInt8(ascii: "o")): cursorState.charsets.gl = 3
        case (0, UInt8(ascii: "c")): fullReset()
        case (0, UInt8(ascii: "=")): modeState.applicationKeypad = true
        case (0, UInt8(ascii: ">")): modeState.applicationKeypad = false
        case (UInt16(UInt8(ascii: "#")), UInt8(ascii: "8")): screenAlignmentTest()
        case (UInt16(UInt8(ascii: "(")), _): designateCharset(0, final)
        case (UInt16(UInt8(ascii: ")")), _): designateCharset(1, final)
        case (UInt16(UInt8(ascii: "*")), _): designateCharset(2, final)
        case (UInt16(UInt8(ascii: "+")), _): designateCharset(3, final)
        default: break
        }
    }

    /// `CSI prefix params intermediates final`.
    /// `p` is `inout` only to be read in place (see `VTParserHandler.csiDispatch`).
    mutating func dispatchCSI(_ p: inout VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8) {
        let repeated = lastPrinted
        lastPrinted = 0
        if prefix != 0 || intermediates != 0 {
            dispatchPrivateCSI(p, prefix: prefix, intermediates: intermediates, final: final)
            return
        }
        if final == UInt8(ascii: "m") {  // SGR: by far the most frequent sequence
            selectGraphicRendition(&p)
            return
        }
        let n = p.param(0, default: 1)
        switch final {
        case UInt8(ascii: "@"): insertCharacters(n)
        case UInt8(ascii: "A"): cursorUp(n)
        case UInt8(ascii: "B"): cursorDown(n)
        case UInt8(ascii: "e"): cursorPosition(row: addressedRow + n, col: addressedColumn)  // VPR
        case UInt8(ascii: "C"): cursorForward(n)
        case UInt8(ascii: "a"): cursorPosition(row: addressedRow, col: addressedColumn + n)  // HPR
        case UInt8(ascii: "D"): cursorBackward(n)
        case UInt8(ascii: "E"): cursorDown(n); carriageReturn()
        case UInt8(ascii: "F"): cursorUp(n); carriageReturn()
        case UInt8(ascii: "G"), UInt8(ascii: "`"): setColumn(n - 1)
        case UInt8(ascii: "H"), UInt8(ascii: "f"): cursorPosition(row: n - 1, col: p.param(1, default: 1) - 1)
        case UInt8(ascii: "I"): tabForward(n)
        case UInt8(ascii: "J"): eraseInDisplay(p.value(0) ?? 0)
        case UInt8(ascii: "K"): eraseInLine(p.value(0) ?? 0)
        case UInt8(ascii: "L"): insertLines(n)
        case UInt8(ascii: "M"): deleteLines(n)
        case UInt8(ascii: "P"): deleteCharacters(n)
        case UInt8(ascii: "S"): scrollUp(n)
        case UInt8(ascii: "T"): if p.count <= 1 { scrollDown(n) }
        case UInt8(ascii: "X"): eraseCharacters(n)
        case UInt8(ascii: "Z"): tabBackward(n)
        case UInt8(ascii: "b"): repeatCharacter(repeated, count: n)
        case UInt8(ascii: "c"): if (p.value(0) ?? 0) == 0 { reportPrimaryAttributes() }
        case UInt8(ascii: "d"): setRow(n - 1)
        case UInt8(ascii: "g"): clearTabStops(p.value(0) ?? 0)
        case UInt8(ascii: "h"): setANSIModes(p, enabled: true)
        case UInt8(ascii: "l"): setANSIModes(p, enabled: false)
        case UInt8(ascii: "m"): selectGraphicRendition(&p)
        case UInt8(ascii: "n"): deviceStatusReport(p.value(0) ?? 0)
        case UInt8(ascii: "r"): setScrollRegion(top: p.param(0, default: 1), bottom: p.param(1, default: rows))
        case UInt8(ascii: "s"):  // DECSLRM with DECLRMM, else SCOSC (only without parameters)
            if modeState.leftRightMarginMode {
                setLeftRightMargins(p)
            } else if p.count <= 1 && p.value(0) == nil {
                saveCursor()
            }
        case UInt8(ascii: "t"): windowOperation(p)
        case UInt8(ascii: "u"): if p.count <= 1 && p.value(0) == nil { restoreCursor() }  // SCORC
        default: break
        }
    }

    private mutating func dispatchPrivateCSI(_ p: VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8) {
        let question = UInt8(ascii: "?"), greater = UInt8(ascii: ">"), equals = UInt8(ascii: "=")
        let dollar = UInt16(UInt8(ascii: "$")), space = UInt16(UInt8(ascii: " "))
        let quote = UInt16(UInt8(ascii: "\"")), tick = UInt16(UInt8(ascii: "'"))
        let star = UInt16(UInt8(ascii: "*")), bang = UInt16(UInt8(ascii: "!"))
        let n = p.param(0, default: 1)
        switch (prefix, intermediates, final) {
        case (question, 0, UInt8(ascii: "h")): setPrivateModes(p, enabled: true)
        case (question, 0, UInt8(ascii: "l")): setPrivateModes(p, enabled: false)
        case (question, 0, UInt8(ascii: "s")): savePrivateModes(p)
        case (question, 0, UInt8(ascii: "r")): restorePrivateModes(p)
        case (question, 0, UInt8(ascii: "n")): privateDeviceStatusReport(p)
        case (question, 0, UInt8(ascii: "J")): eraseInDisplay(p.value(0) ?? 0, selective: true)
        case (question, 0, UInt8(ascii: "K")): eraseInLine(p.value(0) ?? 0, selective: true)
        case (question, dollar, UInt8(ascii: "p")): reportPrivateMode(p.value(0) ?? 0)
        case (0, dollar, UInt8(ascii: "p")): reportANSIMode(p.value(0) ?? 0)
        case (greater, 0, UInt8(ascii: "c")): if (p.value(0) ?? 0) == 0 { reportSecondaryAttributes() }
        case (equals, 0, UInt8(ascii: "c")): if (p.value(0) ?? 0) == 0 { reportTertiaryAttributes() }
        case (greater, 0, UInt8(ascii: "q")): if (p.value(0) ?? 0) == 0 { reportVersion() }
        case (0, bang, UInt8(ascii: "p")): softReset()
        case (0, space, UInt8(ascii: "q")): setCursorShape(p.value(0) ?? 0)
        case (0, space, UInt8(ascii: "@")): scrollLeft(n)
        case (0, space, UInt8(ascii: "A")): scrollRight(n)
        case (0, tick, UInt8(ascii: "}")): insertColumns(n)
        case (0, tick, UInt8(ascii: "~")): deleteColumns(n)
        case (0, quote, UInt8(ascii: "p")): setConformanceLevel(p)
        case (0, quote, UInt8(ascii: "q")): selectCharacterProtection(p.value(0) ?? 0)
        case (0, star, UInt8(ascii: "x")): attributeChangeExtent = p.value(0) ?? 0
        case (0, star, UInt8(ascii: "y")): reportRectangleChecksum(p)
        case (0, dollar, _): rectangleOperation(p, final: final)
        default: break
        }
    }
}
