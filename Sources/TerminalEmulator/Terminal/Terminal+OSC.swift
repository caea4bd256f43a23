extension TerminalCore {
    /// OSC 0/1/2 titles, 4/5 and 10-19 colours (104/105/110-119 reset them), 7 cwd,
    /// 8 hyperlinks, 52 clipboard.
    mutating func dispatchOSC(_ data: UnsafeBufferPointer<UInt8>, bellTerminated: Bool) {
        var command = 0
        var i = 0
        while i < data.count, data[i] >= 0x30, data[i] <= 0x39, command < 100_000 {
            command = command * 10 + Int(data[i] - 0x30)
            i += 1
        }
        guard i > 0 else { return }
        let payload: UnsafeBufferPointer<UInt8>
        if i < data.count {
            guard data[i] == UInt8(ascii: ";") else { return }
            payload = UnsafeBufferPointer(rebasing: data[(i + 1)...])
        } else {
            payload = UnsafeBufferPointer(rebasing: data[i...])
        }
        let terminator = bellTerminated ? "\u{07}" : "\u{1B}\\"
        let short = UnsafeBufferPointer(rebasing: payload[..<min(payload.count, Terminal.maxTitleBytes)])
        switch command {
        case 0:
            setTitle(String(decoding: short, as: UTF8.self))
            setIconName(String(decoding: short, as: UTF8.self))
        case 1: setIconName(String(decoding: short, as: UTF8.self))
        case 2: setTitle(String(decoding: short, as: UTF8.self))
        case 7: emit(.workingDirectory(String(decoding: short, as: UTF8.self)))
        case 8: setHyperlink(payload)
        case 4, 5: setIndexedColors(String(decoding: payload, as: UTF8.self), special: command == 5,
                                    terminator: terminator)
        case 10...19: setDynamicColors(first: command, String(decoding: payload, as: UTF8.self), terminator: terminator)
        case 104, 105: resetIndexedColors(String(decoding: payload, as: UTF8.self), special: command == 105)
        case 110...119: resetDynamicColor(command)
        case 52: clipboard(payload)
        default: break
        }
    }

    mutating func setTitle(_ title: String) {
        windowTitle = title
        emit(.title(title))
    }

    mutating func setIconName(_ name: String) {
        iconTitle = name
        emit(.iconName(name))
    }

    /// OSC 8 ; params ; uri — an empty uri ends the link.
    private mutating func setHyperlink(_ payload: UnsafeBufferPointer<UInt8>) {
        guard let sep = payload.firstIndex(of: UInt8(ascii: ";")) else { return }
        let params = String(decoding: UnsafeBufferPointer(rebasing: payload[..<sep]), as: UTF8.self)
        let uri = String(decoding: UnsafeBufferPointer(rebasing: payload[(sep + 1)...]), as: UTF8.self)
        if uri.isEmpty {
            currentExtras.hyperlink = 0
        } else {
            let id = params.split(separator: ":").first { $0.hasPrefix("id=") }.map { String($0.dropFirst(3)) } ?? ""
            currentExtras.hyperlink = extrasTable.linkID(id + "\u{0}" + uri)
        }
        cursorState.pen.extra = extrasTable.intern(currentExtras)
    }

    /// OSC 52 ; Pc ; Pd — surfaced to the embedder, which decides.
    private mutating func clipboard(_ payload: UnsafeBufferPointer<UInt8>) {
        guard let sep = payload.firstIndex(of: UInt8(ascii: ";")) else { return }
        let selection = String(decoding: UnsafeBufferPointer(rebasing: payload[..<sep]), as: UTF8.self)
        let data = UnsafeBufferPointer(rebasing: payload[(sep + 1)...])
        if data.count == 1 && data[0] == UInt8(ascii: "?") {
            emit(.clipboardQuery(selection: selection))
        } else if let decoded = Base64.decode(data) {
            emit(.clipboardSet(selection: selection, data: decoded))
        }
    }

    /// Queues the OSC 52 answer to a clipboard query.
    mutating func replyClipboard(selection: String, data: [UInt8]) {
        reply("\u{1B}]52;\(selection);\(Base64.encode(data))\u{1B}\\")
    }
}

/// Minimal base64 (RFC 4648) for OSC 52.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64, ignoring padding; nil on invalid characters.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var acc: UInt32 = 0
        var bits = 0
        for c in text {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
