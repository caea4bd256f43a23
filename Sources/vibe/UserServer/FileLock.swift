import CPTY
import Foundation

/// An exclusive `flock` on a file, released when this object goes away (or the process dies, which
/// is what makes a crashed server's lock free again).
final class FileLock {
    private let fd: Int32

    /// Opens (creating 0600) the lock file; does not lock yet.
    init(path: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CLIError(
                message: "vibe: cannot open \(path): \(String(cString: strerror(errno)))", exitCode: VibeExit.failure)
        }
    }

    deinit { close(fd) }

    /// Takes the lock if nobody holds it; false when another process does.
    func tryLock() -> Bool { cpty_flock(fd, 1) == 0 }

    /// Waits for the lock.
    func lock() { _ = cpty_flock(fd, 0) }
}
