import Foundation
import Synchronization

/// Writes whole lines to a file descriptor, one writer at a time; after the first failure (the peer is
/// gone) every write is dropped.
final class LinkWriter: Sendable {
    private let fd: Int32
    private let state = Mutex<Bool>(true)

    init(fd: Int32) { self.fd = fd }

    /// Stops every later write (the descriptor is about to close).
    func shut() { state.withLock { $0 = false } }

    /// Writes `bytes` completely; false once the link is broken.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        state.withLock { open in
            guard open else { return false }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 {
                    open = false
                    return false
                }
                offset += n
            }
            return true
        }
    }
}

/// Reads a file descriptor on a thread of its own, handing each complete line to `onLine`, and calls
/// `onEnd` once when the descriptor reaches its end or fails.
enum LinkReader {
    static func start(fd: Int32, name: String, onLine: @escaping @Sendable ([UInt8]) -> Void, onEnd: @escaping @Sendable () -> Void) {
        let thread = Thread {
            var splitter = LineSplitter()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                for line in splitter.feed(Array(buffer[0..<n])) { onLine(line) }
            }
            onEnd()
        }
        thread.name = name
        thread.start()
    }
}
