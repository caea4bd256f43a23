import AsyncHTTPClient
import Foundation
import NIOCore
import VibeProtocol

extension DockerEngine {
    /// A container's output (`GET /containers/{id}/logs`, timestamps on): its last `tail` lines, then with
    /// `follow` new ones until the container stops or the caller cancels. Lines over 64 KiB are cut.
    func logs(_ container: String, tail: Int, follow: Bool) -> AsyncThrowingStream<LogEntry, any Error> {
        let (stream, continuation) = AsyncThrowingStream<LogEntry, any Error>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let task = Task {
            do {
                var url = baseURL + "/containers/\(container)/logs?stdout=1&stderr=1&timestamps=1&tail=\(tail)"
                if follow { url += "&follow=1" }
                var request = HTTPClientRequest(url: url)
                request.headers.replaceOrAdd(name: "Host", value: "docker")
                let response = try await http.execute(request, timeout: follow ? .hours(24) : .seconds(60))
                guard response.status.code == 200 else {
                    let body = try await response.body.collect(upTo: 64 << 10)
                    throw DockerError.engine(
                        status: Int(response.status.code), message: String(buffer: body), call: "GET /containers/\(container)/logs")
                }
                var demux = DockerStreamDemux()
                var lines = [LogLines(stream: .stdout), LogLines(stream: .stderr)]
                for try await chunk in response.body {
                    for (kind, payload) in demux.feed(Array(chunk.readableBytesView)) where kind == 1 || kind == 2 {
                        for entry in lines[Int(kind) - 1].feed(payload) { continuation.yield(entry) }
                    }
                }
                for index in lines.indices { if let last = lines[index].finish() { continuation.yield(last) } }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// Splits one stream of timestamped container output into log lines (`2026-12-02T10:00:00.123456789Z text`).
struct LogLines {
    let stream: LogStream
    private var pending: [UInt8] = []
    static let maxLine = 64 << 10

    init(stream: LogStream) { self.stream = stream }

    mutating func feed(_ bytes: [UInt8]) -> [LogEntry] {
        pending.append(contentsOf: bytes)
        var entries: [LogEntry] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            entries.append(entry(Array(pending[..<newline])))
            pending.removeFirst(newline + 1)
        }
        if pending.count > Self.maxLine {
            entries.append(entry(Array(pending.prefix(Self.maxLine))))
            pending.removeAll()
        }
        return entries
    }

    /// What is left without its newline.
    mutating func finish() -> LogEntry? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : entry(pending)
    }

    private func entry(_ bytes: [UInt8]) -> LogEntry {
        let text = String(decoding: bytes, as: UTF8.self)
        // The engine's RFC 3339 time with nanoseconds, cut to milliseconds like the server's own lines.
        guard let space = text.firstIndex(of: " "), text.distance(from: text.startIndex, to: space) >= 20 else {
            return LogEntry(time: LogTime.now(), stream: stream, line: text)
        }
        let stamp = text[..<space]
        let time = stamp.count > 23 ? stamp.prefix(23) + "Z" : String(stamp)
        return LogEntry(time: String(time), stream: stream, line: String(text[text.index(after: space)...]))
    }
}
