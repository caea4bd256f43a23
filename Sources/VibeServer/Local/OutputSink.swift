import Synchronization

/// Collects a command's stdout and stderr for a buffered exec answer.
final class OutputSink: Sendable {
    private let buffers = Mutex<(out: [UInt8], err: [UInt8])>(([], []))

    func add(_ chunk: ExecChunk) {
        buffers.withLock { b in
            switch chunk {
            case .stdout(let bytes): b.out += bytes
            case .stderr(let bytes): b.err += bytes
            }
        }
    }

    /// Both streams as UTF-8 text (invalid bytes become U+FFFD).
    func text() -> (String, String) {
        buffers.withLock { (String(decoding: $0.out, as: UTF8.self), String(decoding: $0.err, as: UTF8.self)) }
    }
}

/// Decodes UTF-8 arriving in chunks: a character split between chunks is held back until complete.
final class StreamingUTF8: Sendable {
    private let pending = Mutex<[Int: [UInt8]]>([:])

    /// Decodes `bytes` of stream `stream`, keeping an unfinished trailing sequence for the next call.
    func decode(_ bytes: [UInt8], stream: Int) -> String {
        pending.withLock { p in
            let all = (p[stream] ?? []) + bytes
            let cut = Self.completePrefixLength(all)
            p[stream] = Array(all[cut...])
            return String(decoding: all[..<cut], as: UTF8.self)
        }
    }

    /// Length of `bytes` without a trailing incomplete UTF-8 sequence (at most 3 bytes held back).
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var i = bytes.count - 1
        var back = 0
        while i >= 0 && back < 3 && bytes[i] & 0xC0 == 0x80 {
            i -= 1
            back += 1
        }
        guard i >= 0 else { return bytes.count }
        let lead = bytes[i]
        let need: Int
        if lead & 0xE0 == 0xC0 { need = 2 } else if lead & 0xF0 == 0xE0 { need = 3 } else if lead & 0xF8 == 0xF0 { need = 4 } else { return bytes.count }
        return bytes.count - i < need ? i : bytes.count
    }
}
