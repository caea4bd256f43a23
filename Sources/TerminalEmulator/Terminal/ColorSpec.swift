/// The colour specifications OSC 4 / 5 / 10-19 accept, as X11's `XParseColor` reads them
/// (xterm hands the text to Xlib):
///
/// - `rgb:R/G/B`, each component 1-4 hex digits scaled to the full range (`rgb:f/8/0`);
/// - `#RGB`, `#RRGGBB`, `#RRRGGGBBB`, `#RRRRGGGGBBBB`: the digits are the *high* bits of
///   each component, so `#fff` is 0xF0F0F0 (X11's old-style syntax, not CSS's);
/// - `rgbi:R/G/B`, intensities from 0.0 to 1.0;
/// - a name from a small built-in table of X11 colours (case and spaces ignored).
///
/// CIE forms (`CIEXYZ:` ...) and unknown names are refused (nil): the sequence is ignored.
enum ColorSpec {
    static func parse(_ text: Substring) -> RGBColor? {
        if text.hasPrefix("rgb:") { return parseRGB(text.dropFirst(4)) }
        if text.hasPrefix("rgbi:") { return parseRGBI(text.dropFirst(5)) }
        if text.hasPrefix("#") { return parseHash(text.dropFirst()) }
        return named(text)
    }

    /// `rgb:rrrr/gggg/bbbb` with each 8-bit component repeated, as xterm answers queries.
    static func format(_ c: RGBColor) -> String {
        "rgb:" + [c.red, c.green, c.blue].map { hex2($0) + hex2($0) }.joined(separator: "/")
    }

    private static func hex2(_ v: UInt8) -> String {
        let h = String(v, radix: 16)
        return h.count == 1 ? "0" + h : h
    }

    private static func parseRGB(_ text: Substring) -> RGBColor? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard (1...4).contains(part.count), let v = UInt32(part, radix: 16) else { return nil }
            let maxValue = (UInt32(1) << (4 * UInt32(part.count))) - 1
            out.append(UInt8((v * 255 + maxValue / 2) / maxValue))
        }
        return RGBColor(out[0], out[1], out[2])
    }

    private static func parseHash(_ text: Substring) -> RGBColor? {
        guard [3, 6, 9, 12].contains(text.count), text.allSatisfy(\.isHexDigit) else { return nil }
        let n = text.count / 3
        var out: [UInt8] = []
        var rest = text
        for _ in 0..<3 {
            guard let v = UInt32(rest.prefix(n), radix: 16) else { return nil }
            rest = rest.dropFirst(n)
            // The digits are the most significant bits of a 16-bit value.
            let sixteen = v << (16 - 4 * UInt32(n))
            out.append(UInt8(sixteen >> 8))
        }
        return RGBColor(out[0], out[1], out[2])
    }

    private static func parseRGBI(_ text: Substring) -> RGBColor? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard let v = Double(part), v >= 0, v <= 1 else { return nil }
            out.append(UInt8((v * 255).rounded()))
        }
        return RGBColor(out[0], out[1], out[2])
    }

    private static func named(_ text: Substring) -> RGBColor? {
        let key = String(text.lowercased().filter { $0 != " " })
        guard let v = names[key] else { return nil }
        return RGBColor(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }

    /// A few X11 `rgb.txt` colours (X11's values: `green` is 00FF00, `gray` BEBEBE).
    private static let names: [String: UInt32] = [
        "black": 0x000000, "white": 0xFFFFFF, "red": 0xFF0000, "green": 0x00FF00,
        "blue": 0x0000FF, "yellow": 0xFFFF00, "cyan": 0x00FFFF, "magenta": 0xFF00FF,
        "gray": 0xBEBEBE, "grey": 0xBEBEBE, "darkgray": 0xA9A9A9, "darkgrey": 0xA9A9A9,
        "lightgray": 0xD3D3D3, "lightgrey": 0xD3D3D3, "orange": 0xFFA500, "purple": 0xA020F0,
        "brown": 0xA52A2A, "pink": 0xFFC0CB, "navy": 0x000080, "maroon": 0xB03060,
        "gold": 0xFFD700, "violet": 0xEE82EE,
    ]
}
