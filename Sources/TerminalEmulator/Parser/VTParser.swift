/// Table-driven DEC ANSI parser (Paul Williams' VT500 state machine) with UTF-8 decoding.
///
/// - Malformed UTF-8 becomes U+FFFD; CAN and SUB abort any sequence.
/// - Colon sub-parameters are kept (`38:2::r:g:b`, `4:3`).
/// - Parameters and strings are bounded: at most `VTParams.capacity` values and
///   `maxStringLength` bytes of OSC data (a longer OSC is discarded, memory stays bounded).
/// - SOS, PM and APC strings are consumed and ignored.
public struct VTParser: Sendable {
    /// Default cap on the length of one OSC string (1 MiB, enough for OSC 52 clipboard data).
    public static let defaultMaxStringLength = 1 << 20

    /// Largest OSC payload kept; longer strings are dropped at their terminator.
    public let maxStringLength: Int

    var state: VTState = .ground
    private var params = VTParams()
    private var paramOpen = false
    private var paramAccepting = false
    private var prefix: UInt8 = 0
    private var intermediates: UInt16 = 0
    private var intermediateCount = 0
    private var oscData: [UInt8] = []
    private var oscOverflow = false
    private var decoder = UTF8Decoder()

    /// Creates a parser in the ground state.
    public init(maxStringLength: Int = VTParser.defaultMaxStringLength) {
        self.maxStringLength = max(16, maxStringLength)
    }

    /// Bytes currently buffered for an unfinished OSC string (never above `maxStringLength`).
    public var bufferedStringCount: Int { oscData.count }

    /// Feeds bytes, calling `handler` for every recognised action.
    public mutating func advance<H: VTParserHandler>(_ handler: inout H, _ bytes: UnsafeRawBufferPointer) {
        guard let raw = bytes.baseAddress else { return }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let count = bytes.count
        VTParserTable.table.withUnsafeBufferPointer { table in
          withUnsafeTemporaryAllocation(of: UInt32.self, capacity: Self.scalarRunCapacity) { run in
            var i = 0
            while i < count {
                let byte = base[i]
                if state == .ground {
                    if byte >= 0x80 || decoder.isPending {
                        if !decoder.isPending {
                            let n = Self.collectScalarRun(base, i, count, run)
                            if n.scalars > 0 {
                                handler.printScalars(UnsafeBufferPointer(rebasing: run[0..<n.scalars]))
                                i = n.next
                                continue
                            }
                            let decoded = Self.decodeComplete(base, i, count)
                            if decoded.length > 0 {
                                // A whole well-formed sequence in the buffer: the decoder would
                                // produce the same scalar byte by byte.
                                if decoded.scalar < 0xA0 {
                                    step(UInt8(truncatingIfNeeded: decoded.scalar), &handler, table)  // C1
                                } else {
                                    handler.print(decoded.scalar)
                                }
                                i += decoded.length
                                continue
                            }
                        }
                        if groundDecode(byte, &handler, table) { i += 1 }
                        continue
                    }
                    if byte >= 0x20 && byte < 0x7F {
                        var j = Self.skipPrintableWords(base, i + 1, count)
                        while j < count {
                            let c = base[j]
                            if c < 0x20 || c >= 0x7F { break }
                            j += 1
                        }
                        handler.printASCII(UnsafeBufferPointer(start: base + i, count: j - i))
                        i = j
                        continue
                    }
                    if byte < 0x20 && byte != 0x1B {
                        // C0 control in ground: the table executes it and stays (CAN and SUB
                        // also return to ground, where we already are).
                        handler.execute(byte)
                        i += 1
                        continue
                    }
                    if byte == 0x1B && i + 1 < count && base[i + 1] == 0x5B {
                        // ESC [ from ground: what the table does in two steps (both clear the
                        // sequence); then, while the bytes are here, the usual shape of the rest
                        // (prefix, parameters, final) as the table would take it, without a
                        // round of the loop per part. Anything else is left to the loop.
                        clearSequence()
                        state = .csiEntry
                        i += 2
                        if i < count && base[i] >= 0x3C && base[i] <= 0x3F {
                            prefix = base[i]
                            state = .csiParam
                            i += 1
                        }
                        if i < count && base[i] >= 0x30 && base[i] <= 0x3B {
                            state = .csiParam
                            i = collectParams(base, i, count)
                        }
                        if i < count && base[i] >= 0x40 && base[i] <= 0x7E {
                            handler.csiDispatch(&params, prefix: prefix, intermediates: 0, final: base[i])
                            state = .ground
                            i += 1
                        }
                        continue
                    }
                } else if byte >= 0x80 {
                    highByteInString(byte, &handler)
                    i += 1
                    continue
                } else if byte >= 0x30 && byte <= 0x3B && (state == .csiParam || state == .csiEntry) {
                    // Fast path for parameter bytes: the table would do the same, one byte at a time.
                    state = .csiParam
                    i = collectParams(base, i, count)
                    if i < count {
                        let final = base[i]
                        if final >= 0x40 && final <= 0x7E {
                            // csiParam --final--> ground runs csiDispatch; neither state has
                            // exit or entry actions.
                            if intermediateCount <= 2 {
                                handler.csiDispatch(&params, prefix: prefix, intermediates: intermediates, final: final)
                            }
                            state = .ground
                            i += 1
                        }
                    }
                    continue
                }
                step(byte, &handler, table)
                i += 1
            }
          }
        }
    }

    /// Skips whole 8-byte words of printable ASCII (0x20...0x7E) from `base[start]`;
    /// returns the index of the first word holding another byte (or of the tail).
    @inline(__always)
    static func skipPrintableWords(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var j = start
        while j + 8 <= count {
            let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
            // A byte below 0x20 borrows into its high bit; one above 0x7E has it set or
            // carries into it. Either test is exact as "any byte in the word".
            let below = (w &- ones &* 0x20) & ~w & highs
            let above = ((w &+ ones) | w) & highs
            if below | above != 0 { break }
            j += 8
        }
        return j
    }

    /// Largest run of scalars handed to `printScalars` at once.
    static let scalarRunCapacity = 256

    /// Decodes the printable run starting at `base[start]` (a byte >= 0x80) into `run`:
    /// complete well-formed sequences of scalars >= 0xA0, plus lone printable ASCII bytes
    /// directly followed by a byte >= 0x80 (longer ASCII text stays on the `printASCII`
    /// path). Stops at anything else; returns the scalar count and the next byte index.
    @inline(__always)
    static func collectScalarRun(
        _ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int, _ run: UnsafeMutableBufferPointer<UInt32>
    ) -> (scalars: Int, next: Int) {
        var n = 0, j = start
        while j < count && n < run.count {
            let b = base[j]
            if b < 0x80 {
                guard b >= 0x20, b < 0x7F, j + 1 < count, base[j + 1] >= 0x80 else { break }
                run[n] = UInt32(b)
                n += 1
                j += 1
                continue
            }
            let decoded = decodeComplete(base, j, count)
            guard decoded.length > 0, decoded.scalar >= 0xA0 else { break }
            run[n] = decoded.scalar
            n += 1
            j += decoded.length
        }
        return (n, j)
    }

    /// Decodes the well-formed UTF-8 sequence starting at `base[i]` (a byte >= 0x80) when it
    /// lies entirely before `count`; `length` is 0 when it is malformed or incomplete, in
    /// which case the byte-wise decoder must handle it.
    @inline(__always)
    static func decodeComplete(
        _ base: UnsafePointer<UInt8>, _ i: Int, _ count: Int
    ) -> (scalar: UInt32, length: Int) {
        let b0 = base[i]
        if b0 >= 0xE1 && b0 <= 0xEC || b0 == 0xEE || b0 == 0xEF {
            // The common case (CJK, Hangul, most symbols): three bytes, no special ranges.
            guard i + 2 < count else { return (0, 0) }
            let b1 = base[i + 1], b2 = base[i + 2]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return (0, 0) }
            return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3)
        }
        if b0 >= 0xC2 && b0 <= 0xDF {
            guard i + 1 < count else { return (0, 0) }
            let b1 = base[i + 1]
            guard b1 & 0xC0 == 0x80 else { return (0, 0) }
            return (UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), 2)
        }
        return (0, 0)  // E0, ED and four-byte forms: rare, left to the decoder.
    }

    /// Collects a run of parameter bytes (0x30...0x3B) from `base[start]` in csiParam,
    /// keeping the value being built in a register; returns the index after the run.
    /// Equivalent to `addParamByte` for each byte.
    @inline(__always)
    private mutating func collectParams(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Int {
        var j = start
        var open = paramOpen, accepting = paramAccepting
        var value: Int32 = open && accepting ? params.lastValue() : -1
        while j < count {
            let c = base[j]
            let digit = c &- 0x30
            if digit < 10 {
                if !open {
                    open = true
                    accepting = params.startValue(isSub: false)
                    value = -1
                }
                // The rest of the number in a tight loop (saturating at maxValue).
                var v = min(max(value, 0) &* 10 &+ Int32(digit), VTParams.maxValue)
                j += 1
                while j < count {
                    let d = base[j] &- 0x30
                    if d >= 10 { break }
                    v = min(v &* 10 &+ Int32(d), VTParams.maxValue)
                    j += 1
                }
                if accepting { value = v }
                continue
            }
            if c == 0x3A || c == 0x3B {
                if open && accepting { params.setLastValue(value) }
                if !open { _ = params.startValue(isSub: false) }
                accepting = params.startValue(isSub: c == 0x3A)
                open = true
                value = -1
            } else {
                break
            }
            j += 1
        }
        if open && accepting { params.setLastValue(value) }
        paramOpen = open
        paramAccepting = accepting
        return j
    }

    /// Decodes one byte in the ground state; returns false when the byte must be fed again.
    private mutating func groundDecode<H: VTParserHandler>(
        _ byte: UInt8, _ handler: inout H, _ table: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        switch decoder.feed(byte) {
        case .pending:
            return true
        case .scalar(let scalar):
            if scalar < 0xA0 {
                step(UInt8(truncatingIfNeeded: scalar), &handler, table)  // C1 control
            } else {
                handler.print(scalar)
            }
            return true
        case .invalid:
            handler.print(UTF8Decoder.replacement)
            return true
        case .invalidRetry:
            handler.print(UTF8Decoder.replacement)
            return false
        }
    }

    /// Raw bytes >= 0x80 outside the ground state: string data or ignored.
    private mutating func highByteInString<H: VTParserHandler>(_ byte: UInt8, _ handler: inout H) {
        switch state {
        case .oscString: oscPut(byte)
        case .dcsPassthrough: handler.dcsPut(byte)
        default: break
        }
    }

    private mutating func step<H: VTParserHandler>(
        _ byte: UInt8, _ handler: inout H, _ table: UnsafeBufferPointer<UInt8>
    ) {
        let entry = table[Int(state.rawValue) &* VTParserTable.width &+ Int(byte)]
        // The table is generated from the enums, so both nibbles are always valid raw values.
        let next = unsafeBitCast(entry & 0x0F, to: VTState.self)
        let action = unsafeBitCast(entry >> 4, to: VTAction.self)
        if next != state {
            exitState(byte, &handler)
            perform(action, byte, &handler)
            state = next
            enterState(byte, &handler)
        } else {
            perform(action, byte, &handler)
        }
    }

    private mutating func exitState<H: VTParserHandler>(_ byte: UInt8, _ handler: inout H) {
        let aborted = byte == 0x18 || byte == 0x1A
        switch state {
        case .oscString:
            if !aborted && !oscOverflow {
                oscData.withUnsafeBufferPointer { handler.oscDispatch($0, bellTerminated: byte == 0x07) }
            }
            clearString()
        case .dcsPassthrough:
            handler.dcsUnhook(completed: !aborted)
        default:
            break
        }
    }

    private mutating func enterState<H: VTParserHandler>(_ final: UInt8, _ handler: inout H) {
        switch state {
        case .escape, .csiEntry, .dcsEntry:
            clearSequence()
        case .oscString:
            clearString()
        case .dcsPassthrough:
            if intermediateCount <= 2 {
                handler.dcsHook(params, prefix: prefix, intermediates: intermediates, final: final)
            }
        default:
            break
        }
    }

    private mutating func perform<H: VTParserHandler>(_ action: VTAction, _ byte: UInt8, _ handler: inout H) {
        switch action {
        case .none:
            break
        case .print:
            handler.print(UInt32(byte))
        case .execute:
            handler.execute(byte)
        case .collect:
            intermediateCount += 1
            if intermediateCount <= 2 { intermediates = intermediates << 8 | UInt16(byte) }
        case .prefix:
            prefix = byte
        case .param:
            addParamByte(byte)
        case .escDispatch:
            if intermediateCount <= 2 { handler.escDispatch(intermediates: intermediates, final: byte) }
        case .csiDispatch:
            if intermediateCount <= 2 {
                handler.csiDispatch(&params, prefix: prefix, intermediates: intermediates, final: byte)
            }
        case .put:
            handler.dcsPut(byte)
        case .oscPut:
            oscPut(byte)
        }
    }

    private mutating func addParamByte(_ byte: UInt8) {
        switch byte {
        case 0x30...0x39:
            if !paramOpen {
                paramOpen = true
                paramAccepting = params.startValue(isSub: false)
            }
            if paramAccepting { params.addDigit(byte - 0x30) }
        default:  // ';' starts a new group, ':' a sub-parameter
            if !paramOpen { _ = params.startValue(isSub: false) }
            paramAccepting = params.startValue(isSub: byte == 0x3A)
            paramOpen = true
        }
    }

    private mutating func oscPut(_ byte: UInt8) {
        if oscData.count < maxStringLength {
            oscData.append(byte)
        } else {
            oscOverflow = true
        }
    }

    private mutating func clearSequence() {
        params.reset()
        paramOpen = false
        paramAccepting = false
        prefix = 0
        intermediates = 0
        intermediateCount = 0
    }

    private mutating func clearString() {
        if oscData.capacity > 4096 {
            oscData = []
        } else {
            oscData.removeAll(keepingCapacity: true)
        }
        oscOverflow = false
    }
}
