import Foundation

/// Who a server with auth on serves.
///
/// The local driver runs every shell and command as the server's own user: a shell can read every other
/// session's folder and anything the server can read (its secret file included). So with auth on it
/// serves one token subject, its owner (`--owner`), and refuses every other subject's token. The docker
/// driver keeps each session in a container of its own and serves many subjects, each session its creator's.
enum Tenancy {
    /// The name the local driver reports (``SessionDriver/name``).
    static let singleTenantDriver = "local"

    /// Refuses configurations that would let tenants reach each other, or that cannot work: auth on the
    /// local driver without an owner, an owner without auth, an admin subject that is not the owner.
    static func check(_ configuration: ServerConfiguration, driverName: String) throws(APIError) {
        guard let owner = configuration.owner else {
            if configuration.authSecret != nil && driverName == singleTenantDriver {
                throw APIError(
                    .invalidRequest,
                    "the local driver serves one owner: pass --owner SUBJECT (the token subject it serves); "
                        + "its shells run as this server's user, so multi-tenant serving needs --driver docker")
            }
            return
        }
        guard configuration.authSecret != nil else {
            throw APIError(.invalidRequest, "--owner needs auth on (--auth-secret-file or VIBE_AUTH_SECRET)")
        }
        guard !owner.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError(.invalidRequest, "--owner must not be empty")
        }
        if let admin = configuration.adminSubject, admin != owner {
            throw APIError(
                .invalidRequest,
                "--admin-subject \(admin) is not the --owner: this server refuses every token but the owner's")
        }
    }

    /// What a token of another subject than the owner gets (403 FORBIDDEN, close code 4403); short enough
    /// to fit whole in a close frame's reason.
    static func notOwner() -> APIError {
        APIError(.forbidden, "this server serves one owner; the token's subject is not it")
    }
}
