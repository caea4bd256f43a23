import Foundation
import Hummingbird
import JWTKit
import VibeProtocol

/// The claims of a vibe token: a subject and an optional expiry.
public struct VibeClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var exp: ExpirationClaim?

    public init(subject: String, expires: Date? = nil) {
        self.sub = SubjectClaim(value: subject)
        self.exp = expires.map { ExpirationClaim(value: $0) }
    }

    /// An expired token, or one with an empty subject (it would name no tenant), is refused.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
        guard !sub.value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw JWTError.claimVerificationFailure(failedClaim: sub, reason: "empty subject")
        }
    }
}

/// Checks HS256 bearer tokens; with no secret every caller is anonymous and allowed. With an owner, a
/// valid token of any other subject is refused (403 FORBIDDEN; see ``Tenancy``).
public struct Authenticator: Sendable {
    private let keys: JWTKeyCollection?
    private let owner: String?

    /// Minimum secret length: HS256 needs at least 32 bytes (jwt-kit traps below that).
    public static let minimumSecretBytes = 32

    /// An authenticator for `secret`; nil means the server runs open. A non-nil `owner` is the only
    /// subject whose tokens are accepted.
    public init(secret: String?, owner: String? = nil) async throws {
        self.owner = owner
        guard let secret else {
            keys = nil
            return
        }
        guard secret.utf8.count >= Self.minimumSecretBytes else {
            throw APIError(.invalidRequest, "the auth secret must be at least \(Self.minimumSecretBytes) bytes")
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
    }

    /// True when tokens are required.
    public var isEnabled: Bool { keys != nil }

    /// The subject of the request's token (`Authorization: Bearer` or `?token=`); nil when open.
    /// Throws UNAUTHORIZED for a missing or bad token, FORBIDDEN for a subject that is not the owner.
    public func subject(authorization: String?, queryToken: String?) async throws(APIError) -> String? {
        guard let keys else { return nil }
        var token = queryToken
        if let authorization {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { token = String(parts[1]) }
        }
        guard let token, !token.isEmpty else { throw APIError(.unauthorized, "a bearer token is required") }
        let subject: String
        do {
            subject = try await keys.verify(token, as: VibeClaims.self).sub.value
        } catch {
            throw APIError(.unauthorized, "invalid or expired token")
        }
        if let owner, subject != owner { throw Tenancy.notOwner() }
        return subject
    }

    /// Signs a token for `subject` (for `vibe token` and tests).
    public static func sign(subject: String, secret: String, expires: Date? = nil) async throws -> String {
        guard !subject.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError(.invalidRequest, "the subject must not be empty")
        }
        guard secret.utf8.count >= minimumSecretBytes else {
            throw APIError(.invalidRequest, "the auth secret must be at least \(minimumSecretBytes) bytes")
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(VibeClaims(subject: subject, expires: expires))
    }
}

/// Requires a valid token on every route it wraps (healthz is registered outside it).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = VibeRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.subject = try await authenticator.subject(
            authorization: request.headers[.authorization], queryToken: request.uri.queryParameters.get("token"))
        return try await next(request, context)
    }
}
