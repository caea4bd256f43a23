import Foundation
import NIOSSL

/// The TLS settings of every `https://` request and `wss://` socket: the system's trust roots, plus the
/// certificates in the PEM file named by `VIBE_CA_FILE` (a private CA or a self-signed server certificate,
/// as `curl --cacert` takes).
public enum ClientTLS {
    /// The environment variable that names an extra PEM file of trusted certificates.
    public static let caFileVariable = "VIBE_CA_FILE"

    /// The client TLS configuration (read once per process).
    public static let configuration: TLSConfiguration = {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let path = ProcessInfo.processInfo.environment[caFileVariable], !path.isEmpty {
            configuration.additionalTrustRoots = [.file(path)]
        }
        return configuration
    }()
}
