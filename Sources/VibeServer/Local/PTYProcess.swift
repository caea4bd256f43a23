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
        // Non-blocking, so a keystroke can be written on the caller's thread when the shell has room for it
        // (``writeNow(_:)``); the blocking forms below wait in poll(2) instead.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Writes what the PTY takes of `bytes` now, without waiting: the count written (0 when it has no room), nil
    /// when the PTY is gone.
    func writeNow(_ bytes: ArraySlice<UInt8>) -> Int? {
        while true {
            let n = bytes.withUnsafeBytes { Foundation.write(masterFD, $0.baseAddress, $0.count) }
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return errno == EAGAIN ? 0 : nil
        }
    }

    /// Writes all of `bytes` to the child's input, waiting while the PTY has no room (blocks: call it off the
    /// cooperative pool). Returns false when the PTY is gone.
    @discardableResult
    func write(_ bytes: ArraySlice<UInt8>) -> Bool {
        var rest = bytes
        while !rest.isEmpty {
            guard let n = writeNow(rest) else { return false }
            rest = rest.dropFirst(n)
            if n == 0 && !waitUntil(POLLOUT) { return false }
        }
        return true
    }

    /// Blocking read into `buffer`; returns the bytes read, nil at end of output (EOF or EIO after exit).
    func read(into buffer: inout [UInt8]) -> ArraySlice<UInt8>? {
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(masterFD, $0.baseAddress, $0.count) }
            if n > 0 { return buffer[0..<n] }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN && waitUntil(POLLIN) { continue }
            return nil
        }
    }

    /// Waits until the master is ready for `event`; false when it hung up or failed.
    private func waitUntil(_ event: Int32) -> Bool {
        var entry = pollfd(fd: masterFD, events: Int16(event), revents: 0)
        while true {
            let ready = poll(&entry, 1, -1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return false }
            // POLLHUP with data still readable: the read that follows takes the data, then sees EIO.
            return entry.revents & Int16(event) != 0 || entry.revents & Int16(POLLHUP) != 0 && event == POLLIN
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
