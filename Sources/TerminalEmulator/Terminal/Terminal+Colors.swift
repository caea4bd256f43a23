extension TerminalCore {
    /// The colour a slot shows: the program's override, else the embedder's scheme.
    func effectiveColor(_ slot: ColorSlot) -> RGBColor {
        colorOverrides[slot] ?? colorScheme.color(slot)
    }

    /// OSC 4 ; c ; spec [; c ; spec ...] (palette) and OSC 5 ; c ; spec (special colours).
    /// A spec of `?` queries: the answer is `OSC 4 ; c ; rgb:rrrr/gggg/bbbb` with the
    /// request's terminator. Pairs with an invalid index or spec are skipped (ctlseqs,
    /// "Operating System Commands").
    mutating func setIndexedColors(_ payload: String, special: Bool, terminator: String) {
        let args = payload.split(separator: ";", omittingEmptySubsequences: false)
        var changed = false
        var i = 0
        while i + 1 < args.count {
            defer { i += 2 }
            guard let index = Int(args[i]), index >= 0, index <= (special ? 4 : 255) else { continue }
            let slot: ColorSlot = special ? .special(index) : .palette(UInt8(index))
            if args[i + 1] == "?" {
                let command = special ? 5 : 4
                reply("\u{1B}]\(command);\(index);\(ColorSpec.format(effectiveColor(slot)))\(terminator)")
            } else if let color = ColorSpec.parse(args[i + 1]) {
                colorOverrides[slot] = color
                changed = true
            }
        }
        if changed { emit(.colorsChanged) }
    }

    /// OSC 10...19 ; spec [; spec ...]: each further argument applies to the next colour
    /// (`OSC 10 ; red ; blue` sets the foreground and the background); `?` queries.
    mutating func setDynamicColors(first: Int, _ payload: String, terminator: String) {
        var changed = false
        for (offset, arg) in payload.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            guard let which = DynamicColor(rawValue: first + offset) else { break }
            if arg == "?" {
                let color = effectiveColor(.dynamic(which))
                reply("\u{1B}]\(which.rawValue);\(ColorSpec.format(color))\(terminator)")
            } else if let color = ColorSpec.parse(arg) {
                colorOverrides[.dynamic(which)] = color
                changed = true
            }
        }
        if changed { emit(.colorsChanged) }
    }

    /// OSC 104 ; c ; ... and OSC 105 ; c ; ...: back to the scheme's colour; no index
    /// resets them all.
    mutating func resetIndexedColors(_ payload: String, special: Bool) {
        let before = colorOverrides.count
        let indices = payload.split(separator: ";").compactMap { Int($0) }
        if indices.isEmpty {
            colorOverrides = colorOverrides.filter { slot, _ in
                switch slot {
                case .palette: return special
                case .special: return !special
                case .dynamic: return true
                }
            }
        } else {
            for index in indices {
                if special {
                    colorOverrides[.special(index)] = nil
                } else if index >= 0, index <= 255 {
                    colorOverrides[.palette(UInt8(index))] = nil
                }
            }
        }
        if colorOverrides.count != before { emit(.colorsChanged) }
    }

    /// OSC 110...119: the dynamic colour 10...19 back to the scheme's.
    mutating func resetDynamicColor(_ command: Int) {
        guard let which = DynamicColor(rawValue: command - 100),
              colorOverrides.removeValue(forKey: .dynamic(which)) != nil else { return }
        emit(.colorsChanged)
    }
}
