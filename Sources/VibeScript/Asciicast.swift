import Foundation

/// asciinema's asciicast v2 format: a header line, then one `[time, "o", data]` line per output chunk
/// (https://docs.asciinema.org/manual/asciicast/v2/), so recordings open with the tools people already have.
public enum Asciicast {
    /// The first line of a recording.
    public struct Header: Codable, Sendable, Equatable {
        public var version = 2
        public var width: Int
        public var height: Int
        /// Seconds since the epoch when the recording started.
        public var timestamp: Int
        public var env: [String: String]?
        public var title: String?

        public init(width: Int, height: Int, timestamp: Int, env: [String: String]? = nil, title: String? = nil) {
            self.width = width
            self.height = height
            self.timestamp = timestamp
            self.env = env
            self.title = title
        }
    }

    /// One event: seconds since the start, its kind (`o` output, `i` input, `r` resize, `m` marker), its data.
    public struct Event: Sendable, Equatable {
        public var time: Double
        public var kind: String
        public var data: String

        public init(time: Double, kind: String, data: String) {
            self.time = time
            self.kind = kind
            self.data = data
        }
    }

    /// The header as its line (with the newline).
    public static func line(_ header: Header) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(header) else { return "{\"version\":2}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// An event as its line (with the newline); time is written with microsecond precision.
    public static func line(_ event: Event) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(event.data)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        let kind = (try? encoder.encode(event.kind)).map { String(decoding: $0, as: UTF8.self) } ?? "\"o\""
        return "[" + String(format: "%.6f", event.time) + ", " + kind + ", " + data + "]\n"
    }

    /// A recording read back: its header and events, or what is wrong with it (with the line number).
    public static func parse(_ text: String) -> Result<(Header, [Event]), ScriptParseError> {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next(), let header = try? JSONDecoder().decode(Header.self, from: Data(first.utf8)),
            header.version == 2
        else { return .failure(ScriptParseError(line: 1, message: "not an asciicast v2 header")) }
        var events: [Event] = []
        var number = 1
        while let line = lines.next() {
            number += 1
            guard let array = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], array.count == 3,
                let time = (array[0] as? NSNumber)?.doubleValue, let kind = array[1] as? String, let data = array[2] as? String
            else { return .failure(ScriptParseError(line: number, message: "not an event [time, kind, data]")) }
            events.append(Event(time: time, kind: kind, data: data))
        }
        return .success((header, events))
    }
}
