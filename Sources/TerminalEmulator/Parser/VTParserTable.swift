/// States of the DEC ANSI parser (Paul Williams, vt100.net/emu/dec_ansi_parser).
enum VTState: UInt8, CaseIterable {
    case ground, escape, escapeIntermediate
    case csiEntry, csiParam, csiIntermediate, csiIgnore
    case dcsEntry, dcsParam, dcsIntermediate, dcsPassthrough, dcsIgnore
    case oscString, sosPmApcString
}

/// Transition actions of the parser table.
enum VTAction: UInt8 {
    case none, print, execute, collect, prefix, param, escDispatch, csiDispatch, put, oscPut
}

/// The state transition table: for each state and each byte 0x00...0x9F, the action to run
/// and the next state, packed as `action << 4 | state`. Bytes 0x80...0x9F are the C1
/// controls (reached only through UTF-8 decoded C1 in the ground state).
enum VTParserTable {
    static let width = 0xA0

    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: VTState.allCases.count * width)
        func set(_ s: VTState, _ range: ClosedRange<Int>, _ a: VTAction, _ next: VTState? = nil) {
            for b in range { t[Int(s.rawValue) * width + b] = a.rawValue << 4 | (next ?? s).rawValue }
        }
        let c0: [ClosedRange<Int>] = [0x00...0x17, 0x19...0x19, 0x1C...0x1F]
        for s in VTState.allCases {
            set(s, 0x00...0x9F, .none)
            // Per-state defaults first; "anywhere" transitions below override them.
            switch s {
            case .ground:
                for r in c0 { set(s, r, .execute) }
                set(s, 0x20...0x7E, .print)
            case .escape:
                for r in c0 { set(s, r, .execute) }
                set(s, 0x20...0x2F, .collect, .escapeIntermediate)
                set(s, 0x30...0x7E, .escDispatch, .ground)
                set(s, 0x50...0x50, .none, .dcsEntry)
                set(s, 0x58...0x58, .none, .sosPmApcString)
                set(s, 0x5E...0x5F, .none, .sosPmApcString)
                set(s, 0x5B...0x5B, .none, .csiEntry)
                set(s, 0x5D...0x5D, .none, .oscString)
            case .escapeIntermediate:
                for r in c0 { set(s, r, .execute) }
                set(s, 0x20...0x2F, .collect)
                set(s, 0x30...0x7E, .escDispatch, .ground)
            case .csiEntry:
                for r in c0 { set(s, r, .execute) }
                set(s, 0x20...0x2F, .collect, .csiIntermediate)
                set(s, 0x30...0x3B, .param, .csiParam)
                set(s, 0x3C...0x3F, .prefix, .csiParam)
                set(s, 0x40...0x7E, .csiDispatch, .ground)
            case .csiParam:
                for r in c0 { set(s, r, .execute) }
                set(s, 0x20...0x2F, .collect, .csiIntermediate)
                set(s, 0x30...0x3B, .param)
                set(s, 0x3C...0x3F, .none, .csiIgnore)
                set(s, 0x40...0x7E, .csiDispatch, .ground)
            case .csiIntermediate:
                for r in c0 { set(s, r, .execute) }
                set(s, 0x20...0x2F, .collect)
                set(s, 0x30...0x3F, .none, .csiIgnore)
                set(s, 0x40...0x7E, .csiDispatch, .ground)
            case .csiIgnore:
                for r in c0 { set(s, r, .execute) }
                set(s, 0x40...0x7E, .none, .ground)
            case .dcsEntry:
                set(s, 0x20...0x2F, .collect, .dcsIntermediate)
                set(s, 0x30...0x3B, .param, .dcsParam)
                set(s, 0x3C...0x3F, .prefix, .dcsParam)
                set(s, 0x40...0x7E, .none, .dcsPassthrough)
            case .dcsParam:
                set(s, 0x20...0x2F, .collect, .dcsIntermediate)
                set(s, 0x30...0x3B, .param)
                set(s, 0x3C...0x3F, .none, .dcsIgnore)
                set(s, 0x40...0x7E, .none, .dcsPassthrough)
            case .dcsIntermediate:
                set(s, 0x20...0x2F, .collect)
                set(s, 0x30...0x3F, .none, .dcsIgnore)
                set(s, 0x40...0x7E, .none, .dcsPassthrough)
            case .dcsPassthrough:
                for r in c0 { set(s, r, .put) }
                set(s, 0x20...0x7E, .put)
            case .dcsIgnore, .sosPmApcString:
                break
            case .oscString:
                set(s, 0x07...0x07, .none, .ground)
                set(s, 0x20...0x7F, .oscPut)
            }
            // Anywhere transitions.
            set(s, 0x18...0x18, .execute, .ground)
            set(s, 0x1A...0x1A, .execute, .ground)
            set(s, 0x1B...0x1B, .none, .escape)
            set(s, 0x80...0x8F, .execute, .ground)
            set(s, 0x91...0x97, .execute, .ground)
            set(s, 0x99...0x9A, .execute, .ground)
            set(s, 0x90...0x90, .none, .dcsEntry)
            set(s, 0x9B...0x9B, .none, .csiEntry)
            set(s, 0x9C...0x9C, .none, .ground)
            set(s, 0x9D...0x9D, .none, .oscString)
            set(s, 0x98...0x98, .none, .sosPmApcString)
            set(s, 0x9E...0x9F, .none, .sosPmApcString)
        }
        return t
    }()
}
