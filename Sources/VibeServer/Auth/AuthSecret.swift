import Foundation

/// Where the server's auth secret comes from, kept out of argv and out of every child's environment.
///
/// Three sources, best first: a file only its owner can read (`vibe serve --auth-secret-file`), the
/// environment (`VIBE_AUTH_SECRET`, taken out of the process at start), argv (`--auth-secret`, public to
/// every user of the machine through `ps` and `/proc/PID/cmdline`; deprecated).
public enum AuthSecret {
    /// The variable `vibe serve` and `vibe token` read the secret from.
    public static let environmentName = "VIBE_AUTH_SECRET"

    /// Variables that hold vibe secrets: never passed on to shells or commands.
    public static let secretEnvironmentNames: Set<String> = [environmentName, "VIBE_TOKEN"]

    /// The largest secret file read (a secret is tens of bytes; a bigger file is the wrong file).
    static let maximumFileBytes = 4096

    /// Reads the secret from the file at `path`, once: a regular file with no permission for group or
    /// others (refused otherwise, as ssh refuses an open private key), UTF-8 text, trailing line breaks
    /// trimmed, at least ``Authenticator/minimumSecretBytes`` long.
    public static func load(file path: String) throws(APIError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw refusal("cannot read the auth secret file \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw refusal("the auth secret file \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw refusal(
                "the auth secret file \(path) is open to others (mode \(String(mode, radix: 8))): anyone who can read it "
                    + "can sign tokens; run chmod 600 \(path)")
        }
        var bytes = [UInt8](repeating: 0, count: maximumFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress.map { $0 + count }, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw refusal("cannot read the auth secret file \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumFileBytes else {
            throw refusal("the auth secret file \(path) is over \(maximumFileBytes) bytes: is it the right file?")
        }
        var content = bytes[0..<count]
        while let last = content.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { content.removeLast() }
        guard let secret = String(validating: content, as: UTF8.self) else {
            throw refusal("the auth secret file \(path) is not UTF-8 text (store the secret as text, e.g. base64)")
        }
        guard secret.utf8.count >= Authenticator.minimumSecretBytes else {
            throw refusal(
                "the auth secret in \(path) is \(secret.utf8.count) bytes; it must be at least "
                    + "\(Authenticator.minimumSecretBytes) (e.g. head -c 32 /dev/urandom | base64 > \(path))")
        }
        return secret
    }

    /// Takes `VIBE_AUTH_SECRET` out of this process's environment and returns its value (nil when unset).
    ///
    /// `unsetenv` alone keeps children from inheriting it, but on Linux `/proc/PID/environ` shows the
    /// process's *initial* environment block, which `unsetenv` does not change; so the value is first
    /// overwritten in place (when it still lives in that block, as it does at start), then unset.
    public static func takeFromEnvironment() -> String? {
        guard let pointer = getenv(environmentName) else { return nil }
        let value = String(cString: pointer)
        memset(pointer, 0, strlen(pointer))
        unsetenv(environmentName)
        return value
    }

    private static func refusal(_ message: String) -> APIError { APIError(.invalidRequest, message) }
}
