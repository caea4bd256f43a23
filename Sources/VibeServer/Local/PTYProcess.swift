import CPTY
import Foundation

/// A child process on a pseudo-terminal, spawned through the C shim (the forked child runs no Swift).
final class PTYProcess: Sendable {
    /// The master side of the PTY; reads give the child's output, writes are its input.
    let masterFD: Int32
    /// The child's process id.
    let pid: pid_t

    /// Spawns `argv[0]` (looked up in the PATH of `environment`) in `cwd` on a new PTY of the given size,
    /// with `limits`. Blocks until the child has exec'd: call it through ``BlockingCalls``.
    init(argv: [String], environment: [String: String], cwd: String, rows: Int, cols: Int, limits: ShellLimits) throws {
        guard let program = argv.first else { throw POSIXError(.EINVAL) }
        var fd: Int32 = -1
        var cLimits = limits.cLimits
        let envStrings = environment.map { "\($0.key)=\($0.value)" }
        let pid = withCStringArray(argv) { argvPtr in
            withCStringArray(envStrings) { envPtr in
                cpty_spawn_limited(
                    program, argvPtr, envPtr, cwd, &fd, UInt16(clamping: rows), UInt16(clamping: cols), 0, &cLimits)
            }
        }
        guard pid > 0 else { throw POSIXError.current("spawn \(program)") }
        self.pid = pid
        self.masterFD = fd
    }

    /// Writes all of `bytes` to the child's input. Returns false when the PTY is gone.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Foundation.write(masterFD, buf.baseAddress.map { $0 + offset }, buf.count - offset)
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Blocking read into `buffer`; returns the bytes read, nil at end of output (EOF or EIO after exit).
    func read(into buffer: inout [UInt8]) -> ArraySlice<UInt8>? {
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(masterFD, $0.baseAddress, $0.count) }
            if n > 0 { return buffer[0..<n] }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Sets the terminal size; the kernel sends SIGWINCH to the foreground process group.
    func resize(rows: Int, cols: Int) {
        _ = cpty_set_winsize(masterFD, UInt16(clamping: rows), UInt16(clamping: cols))
    }

    /// Sends a signal to the child. Only valid until ``reap()``: then the pid may belong to another process.
    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Blocks until the child has exited, without reaping it: its pid stays reserved until ``reap()``.
    func waitForExit() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
    }

    /// Reaps the exited child and returns its exit code (128+signal when killed).
    func reap() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return cpty_exit_code(status)
    }

    /// Closes the master side (after the last read, write and resize).
    func closeMaster() { close(masterFD) }
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
