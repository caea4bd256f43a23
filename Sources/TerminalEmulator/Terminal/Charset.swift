/// Character sets that can be designated into G0...G3.
enum Charset: Sendable, Equatable {
    case ascii
    case decSpecialGraphics
    case british

    /// Maps a printable ASCII scalar through the set.
    func map(_ scalar: UInt32) -> UInt32 {
        switch self {
        case .ascii:
            return scalar
        case .british:
            return scalar == 0x23 ? 0xA3 : scalar
        case .decSpecialGraphics:
            guard scalar >= 0x5F, scalar <= 0x7E else { return scalar }
            return Charset.decGraphics[Int(scalar - 0x5F)]
        }
    }

    /// DEC Special Graphics for 0x5F...0x7E (as xterm maps them to Unicode).
    private static let decGraphics: [UInt32] = [
        0x0020, 0x25C6, 0x2592, 0x2409, 0x240C, 0x240D, 0x240A, 0x00B0,  // _ ` a b c d e f
        0x00B1, 0x2424, 0x240B, 0x2518, 0x2510, 0x250C, 0x2514, 0x253C,  // g h i j k l m n
        0x23BA, 0x23BB, 0x2500, 0x23BC, 0x23BD, 0x251C, 0x2524, 0x2534,  // o p q r s t u v
        0x252C, 0x2502, 0x2264, 0x2265, 0x03C0, 0x2260, 0x00A3, 0x00B7,  // w x y z { | } ~
    ]
}

/// G0...G3 designations plus the shift state.
struct CharsetState: Sendable, Equatable {
    var g: [Charset] = [.ascii, .ascii, .ascii, .ascii]
    /// Which of G0...G3 is invoked into GL (SI = 0, SO = 1, LS2/LS3 = 2/3).
    var gl = 0
    /// Set by SS2/SS3 for the next printed character only.
    var singleShift: Int?

    /// True when printable ASCII passes through untranslated (enables the fast path).
    var isPlainASCII: Bool { g[gl] == .ascii && singleShift == nil }

    /// Translates one printable scalar, consuming a pending single shift.
    mutating func translate(_ scalar: UInt32) -> UInt32 {
        guard scalar >= 0x20, scalar < 0x7F else { return scalar }
        if let shift = singleShift {
            singleShift = nil
            return g[shift].map(scalar)
        }
        return g[gl].map(scalar)
    }
}
