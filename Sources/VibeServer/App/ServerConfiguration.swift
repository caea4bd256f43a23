/// How a server runs (`vibe serve`, your own background server, or one embedded in a test).
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks an ephemeral port.
    public var port: Int
    /// Where the local driver keeps sessions.
    public var dataDir: String
    /// HS256 secret; nil runs open (loopback only).
    public var authSecret: String?
    /// Overrides the terminal shell (tests use a quiet one).
    public var shell: [String]?
    /// Session creations allowed in a burst, and refilled per second, per client.
    public var createBurst: Int
    public var createPerSecond: Double
    /// Lets create/open take a host `folder` as the workspace (the user's own server only: it runs as the
    /// user and only the user holds its token).
    public var allowHostFolders: Bool
    /// False starts the server with the kill switch on (no new sessions; `--no-new-sessions`).
    public var acceptNewSessions = true
    /// Sessions with no socket attached and no terminal activity for this long are suspended (docker
    /// driver: the container stops, the volume stays); nil never suspends.
    public var idleSuspend: Duration?
    /// The token subject allowed to use the admin routes when auth is on (nil: nobody; an open server
    /// on loopback allows them).
    public var adminSubject: String?
    /// With auth on, the one token subject served (`--owner`); other subjects get 403 FORBIDDEN on every
    /// route and socket. Required with auth on the local driver, whose shells run as the server's user.
    public var owner: String?
    /// Timeouts and caps of the server's edge (every connection, before any route).
    public var connections = ConnectionLimits()
    /// Process and open-file limits of the local driver's shells and commands (`--shell-max-processes`,
    /// `--shell-max-files`).
    public var shellLimits = ShellLimits()
    /// Browser origins (`https://ide.example.com`) allowed to call the API with credentials (CORS); empty: none.
    public var corsOrigins: [String] = []

    public init(
        host: String = "127.0.0.1", port: Int = 8000, dataDir: String, authSecret: String? = nil,
        shell: [String]? = nil, createBurst: Int = 60, createPerSecond: Double = 20, allowHostFolders: Bool = false
    ) {
        self.allowHostFolders = allowHostFolders
        self.host = host
        self.port = port
        self.dataDir = dataDir
        self.authSecret = authSecret
        self.shell = shell
        self.createBurst = createBurst
        self.createPerSecond = createPerSecond
    }

    /// `text` as a CORS origin (`scheme://host[:port]`, lowercased), or nil when it is not one.
    public static func corsOrigin(_ text: String) -> String? { CORSPolicy.canonical(text) }

    /// True for addresses only this machine can reach.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
