/// How the docker driver makes containers (`vibe serve --driver docker` options).
public struct DockerSettings: Sendable {
    /// The workspace image (`--image`, `VIBE_IMAGE`).
    public var image: String
    /// The network mode (`--network`); nil: the isolated bridge network the driver creates.
    public var network: String?
    /// CPUs per session, in billionths (1 vCPU = 1e9).
    public var nanoCPUs: Int64
    /// Memory per session, in bytes.
    public var memoryBytes: Int64
    /// Processes per session.
    public var pidsLimit: Int64
    /// How long the readiness probe may take before the session fails.
    public var readyTimeout: Duration

    /// The network the driver creates when `network` is nil.
    public static let defaultNetwork = "vibe-sessions"
    /// The default image.
    public static let defaultImage = "vibe-workspace:latest"

    public init(
        image: String = DockerSettings.defaultImage, network: String? = nil, nanoCPUs: Int64 = 1_000_000_000,
        memoryBytes: Int64 = 1 << 30, pidsLimit: Int64 = 512, readyTimeout: Duration = .seconds(10)
    ) {
        self.image = image
        self.network = network
        self.nanoCPUs = nanoCPUs
        self.memoryBytes = memoryBytes
        self.pidsLimit = pidsLimit
        self.readyTimeout = readyTimeout
    }
}
