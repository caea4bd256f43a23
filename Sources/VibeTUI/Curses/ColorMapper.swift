import TerminalEmulator

/// Maps emulator colours to the colour numbers the outer terminal supports (pure; no curses calls).
///
/// -1 is the outer terminal's default colour (`use_default_colors`). With 256 or more colours the
/// palette maps one to one and truecolor goes to the nearest entry of the 6×6×6 cube or the grey ramp;
/// with 16 or 8 colours everything goes to the nearest of those.
public enum ColorMapper {
    /// The curses colour number for `color` when the terminal has `colors` colours.
    public static func index(_ color: TerminalColor, colors: Int) -> Int32 {
        switch color {
        case .default:
            return -1
        case .palette(let i):
            if colors >= 256 { return Int32(i) }
            if i < 16 { return Int32(colors >= 16 ? Int(i) : Int(i) % 8) }
            let (r, g, b) = rgb(ofPalette: i)
            return Int32(nearestBasic(r, g, b, count: colors >= 16 ? 16 : 8))
        case .rgb(let r, let g, let b):
            if colors >= 256 { return Int32(nearest256(r, g, b)) }
            return Int32(nearestBasic(r, g, b, count: colors >= 16 ? 16 : 8))
        }
    }

    /// xterm's RGB value of palette entry `i`.
    public static func rgb(ofPalette i: UInt8) -> (UInt8, UInt8, UInt8) {
        switch i {
        case 0..<16: return basic[Int(i)]
        case 16..<232:
            let n = Int(i) - 16
            return (cubeLevels[n / 36], cubeLevels[(n / 6) % 6], cubeLevels[n % 6])
        default:
            let v = UInt8(8 + (Int(i) - 232) * 10)
            return (v, v, v)
        }
    }

    /// The nearest entry of xterm's 256-colour palette (cube or grey ramp, never the 16 basics,
    /// whose RGB values differ between terminals).
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let ci = [r, g, b].map { nearestCubeLevel($0) }
        let cubeIndex = 16 + 36 * ci[0] + 6 * ci[1] + ci[2]
        let cube = (cubeLevels[ci[0]], cubeLevels[ci[1]], cubeLevels[ci[2]])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = min(23, max(0, (average - 3) / 10))
        let greyValue = UInt8(8 + greyStep * 10)
        let grey = (greyValue, greyValue, greyValue)
        return distance((r, g, b), grey) < distance((r, g, b), cube) ? 232 + greyStep : cubeIndex
    }

    /// The nearest of the first `count` (8 or 16) basic colours.
    public static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<min(count, basic.count) {
            let d = distance((r, g, b), basic[i])
            if d < bestDistance {
                best = i
                bestDistance = d
            }
        }
        return best
    }

    private static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    private static let basic: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    private static func nearestCubeLevel(_ v: UInt8) -> Int {
        if v < 48 { return 0 }
        if v < 115 { return 1 }
        return min(5, (Int(v) - 35) / 40)
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0)
        let dg = Int(a.1) - Int(b.1)
        let db = Int(a.2) - Int(b.2)
        return dr * dr * 2 + dg * dg * 4 + db * db * 3
    }
}
