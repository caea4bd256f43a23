import Foundation

/// A minimal blocking WebSocket client (RFC 6455, plain `ws://` only) on a POSIX socket with TCP_NODELAY: one
/// thread, no event loop, no actors. The echo bench drives every server with it, vibe and its peers alike, so that
/// what differs between them is the server, not the client.
final class BlockingWebSocket {
    /// A frame as received: opcode and payload (continuations are not joined; servers here do not fragment).
    struct Frame {
        var opcode: UInt8
        var payload: [UInt8]
        var isText: Bool { opcode == 0x1 }
        var isBinary: Bool { opcode == 0x2 }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The socket, for `poll` over many of them (``readFrames()`` once it is readable).
    let fd: Int32
    private var inbox: [UInt8] = []
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Connects to `url` (`ws://host:port/path?query`) and completes the handshake.
    init(url: String) throws {
        guard url.hasPrefix("ws://") else { throw Failure(description: "only ws:// URLs: \(url)") }
        let rest = url.dropFirst("ws://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        let parts = authority.split(separator: ":")
        guard let hostPart = parts.first, parts.count <= 2, let port = UInt16(parts.count == 2 ? String(parts[1]) : "80")
        else { throw Failure(description: "bad authority in \(url)") }
        let host = hostPart == "localhost" ? "127.0.0.1" : String(hostPart)

        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            Foundation.close(fd)
            throw Failure(description: "not an IPv4 address: \(host)")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Foundation.close(fd)
            throw Failure(description: "connect \(authority): \(reason)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        try handshake(host: authority, target: target)
    }

    deinit { Foundation.close(fd) }

    private func handshake(host: String, target: String) throws {
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request = "GET \(target) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try writeAll(Array(request.utf8))
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = inbox.firstRange(of: end) {
                let head = String(decoding: inbox[..<range.lowerBound], as: UTF8.self)
                inbox.removeSubrange(..<range.upperBound)
                guard head.hasPrefix("HTTP/1.1 101") else {
                    throw Failure(description: "upgrade refused: \(head.prefix(200))")
                }
                return
            }
            guard try fill(timeoutMs: 5000) else { throw Failure(description: "no upgrade answer in 5 s") }
        }
    }

    /// Sends one frame (masked, as a client must).
    func send(_ payload: [UInt8], text: Bool = false) throws {
        var frame: [UInt8] = [0x80 | (text ? 0x1 : 0x2)]
        let count = payload.count
        if count < 126 {
            frame.append(0x80 | UInt8(count))
        } else if count <= 0xFFFF {
            frame.append(0x80 | 126)
            frame += [UInt8(count >> 8), UInt8(count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((UInt64(count) >> (UInt64($0) * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset & 3] }
        try writeAll(frame)
    }

    /// The next data frame, or nil when none arrives within `timeoutMs`; answers pings, throws on close.
    func receive(timeoutMs: Int32 = 5000) throws -> Frame? {
        while true {
            if let frame = try takeFrame() {
                switch frame.opcode {
                case 0x9: try sendControl(0xA, frame.payload)
                case 0xA: continue
                case 0x8: throw Failure(description: "closed by the server")
                default: return frame
                }
            } else if try !fill(timeoutMs: timeoutMs) {
                return nil
            }
        }
    }

    /// Reads once (call it when `poll` says the socket is readable) and returns the data frames now complete;
    /// answers pings, throws on close.
    func readFrames() throws -> [Frame] {
        guard try fill(timeoutMs: 0) else { return [] }
        var frames: [Frame] = []
        while let frame = try takeFrame() {
            switch frame.opcode {
            case 0x9: try sendControl(0xA, frame.payload)
            case 0xA: continue
            case 0x8: throw Failure(description: "closed by the server")
            default: frames.append(frame)
            }
        }
        return frames
    }

    /// Sends a close frame; the socket is closed when this object goes.
    func close() { try? sendControl(0x8, [0x03, 0xE8]) }

    private func sendControl(_ opcode: UInt8, _ payload: [UInt8]) throws {
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        try writeAll([0x80 | opcode, 0x80 | UInt8(payload.count)] + mask
            + payload.enumerated().map { $0.element ^ mask[$0.offset & 3] })
    }

    private func takeFrame() throws -> Frame? {
        guard inbox.count >= 2 else { return nil }
        let opcode = inbox[0] & 0x0F
        var length = Int(inbox[1] & 0x7F)
        var header = 2
        if length == 126 {
            guard inbox.count >= 4 else { return nil }
            length = Int(inbox[2]) << 8 | Int(inbox[3])
            header = 4
        } else if length == 127 {
            guard inbox.count >= 10 else { return nil }
            length = inbox[2..<10].reduce(0) { $0 << 8 | Int($1) }
            header = 10
        }
        guard inbox[1] & 0x80 == 0 else { throw Failure(description: "the server masked a frame") }
        guard inbox.count >= header + length else { return nil }
        let frame = Frame(opcode: opcode, payload: Array(inbox[header..<header + length]))
        inbox.removeSubrange(..<(header + length))
        return frame
    }

    /// Reads what the socket has; false when nothing came within `timeoutMs`.
    private func fill(timeoutMs: Int32) throws -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeoutMs) > 0 else { return false }
        let n = readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw Failure(description: "connection closed") }
        inbox += readBuffer[0..<n]
        return true
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { write(fd, $0 + sent, raw.count - sent) } ?? -1
            }
            guard n > 0 else { throw Failure(description: "write: \(String(cString: strerror(errno)))") }
            sent += n
        }
    }
}
