import CPTY
import Foundation

/// A child process on a pseudo-terminal, spawned through the C shim (the forked child runs no Swift).
final class PTYProcess: Sendable {
    /// The master side of the PTY; reads give the child's output, writes are its input.
    let masterFD: Int32
    /// The child's process id.
    let pid: pid_t

    /// Spawns `argv[0]` (looked up in PATH) in `cwd` with `environment` on a new PTY of the given size.
    init(argv: [String], environment: [String: String], cwd: String, rows: Int, cols: Int) throws {
        var fd: Int32 = -1
        let envStrings = environment.map { "\($0.key)=\($0.value)" }
        let pid = withCStringArray(argv) { argvPtr in
            withCStringArray(envStrings) { envPtr in
                cpty_spawn(argv[0], argvPtr, envPtr, cwd, &fd, UInt16(clamping: rows), UInt16(clamping: cols), 0)
            }
        }
        guard pid > 0 else { throw POSIXError.current("forkpty") }
        self.pid = pid
        self.masterFD = fd
    }

    /// Writes all of `bytes` to the child's input. Returns false when the PTY is gone.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Foundation.write(masterFD, buf.baseAddress! + offset, buf.count - offset)
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Blocking read of up to `capacity` bytes; returns nil at end of output (EOF or EIO after exit).
    func read(capacity: Int = 65_536) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: capacity)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(masterFD, $0.baseAddress, capacity) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Sets the terminal size; the kernel sends SIGWINCH to the foreground process group.
    func resize(rows: Int, cols: Int) {
        _ = cpty_set_winsize(masterFD, UInt16(clamping: rows), UInt16(clamping: cols))
    }

    /// Sends a signal to the child.
    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits for the child to exit and returns its exit code (128+signal when killed); closes the master.
    func reap() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(masterFD)
        return cpty_exit_code(status)
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

extension POSIXError {
    /// The current `errno` as an error, for a failed `call`.
    static func current(_ call: String) -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO, userInfo: [NSLocalizedDescriptionKey: call])
    }
}
