/// A 24-bit colour.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    /// A colour from its components.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Reads `#rrggbb`, `0xrrggbb` (Alacritty writes both) or `#rgb`. Nil for anything else.
    public init?(hex text: String) {
        var digits = Substring(text.trimmingSpaces())
        if digits.hasPrefix("#") {
            digits = digits.dropFirst()
        } else if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            digits = digits.dropFirst(2)
        } else {
            return nil
        }
        guard digits.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) else { return nil }
        if digits.count == 3 {
            let expanded = digits.map { "\($0)\($0)" }.joined()
            digits = Substring(expanded)
        }
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff))
    }

    /// `#rrggbb`.
    public var description: String {
        "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The nearest colour of the xterm 256-colour palette's 6×6×6 cube or grey ramp (16…255),
    /// for terminals that cannot show 24-bit colour or redefine colours.
    public var xterm256Index: Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: UInt8) -> Int {
            levels.indices.min { abs(levels[$0] - Int(v)) < abs(levels[$1] - Int(v)) } ?? 0
        }
        let (ci, cj, ck) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
        let cube = RGB(UInt8(levels[ci]), UInt8(levels[cj]), UInt8(levels[ck]))
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = min(23, max(0, (average - 8 + 5) / 10))
        let greyLevel = UInt8(8 + greyStep * 10)
        let grey = RGB(greyLevel, greyLevel, greyLevel)
        return distance(to: grey) < distance(to: cube) ? 232 + greyStep : 16 + 36 * ci + 6 * cj + ck
    }

    /// Squared Euclidean distance in RGB space.
    public func distance(to other: RGB) -> Int {
        let dr = Int(r) - Int(other.r)
        let dg = Int(g) - Int(other.g)
        let db = Int(b) - Int(other.b)
        return dr * dr + dg * dg + db * db
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}

extension RGB {
    /// A colour from `0xRRGGBB`.
    public init(hexValue value: UInt32) {
        self.init(UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff))
    }
}
