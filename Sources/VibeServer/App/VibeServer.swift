import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import VibeProtocol

/// The session server: HTTP routes, sockets and the registry, ready to run as a service.
public struct VibeServer: Sendable {
    public let configuration: ServerConfiguration
    public let registry: SessionRegistry
    let context: ServerContext

    /// Builds a server over `driver` (default: the local driver on the configured data dir).
    /// Refuses a non-loopback address without a secret.
    public init(configuration: ServerConfiguration, driver: (any SessionDriver)? = nil, logger: Logger) async throws {
        guard configuration.authSecret != nil || configuration.isLoopback else {
            throw APIError(
                .invalidRequest,
                "refusing to listen on \(configuration.host) without a secret (--auth-secret-file or VIBE_AUTH_SECRET; open servers are loopback only)")
        }
        let driver = driver ?? LocalDriver(
            dataDir: configuration.dataDir, shell: configuration.shell, limits: configuration.shellLimits)
        try Tenancy.check(configuration, driverName: driver.name)
        self.configuration = configuration
        self.registry = SessionRegistry(
            driver: driver, layouts: LayoutStore(directory: configuration.dataDir + "/layouts"), logger: logger)
        await registry.setAcceptsNewSessions(configuration.acceptNewSessions)
        if let local = driver as? LocalDriver { TestHooks.installIfEnabled(local, logger: logger) }
        var context = ServerContext(
            registry: registry,
            authenticator: try await Authenticator(secret: configuration.authSecret, owner: configuration.owner),
            createLimiter: RateLimiter(burst: configuration.createBurst, perSecond: configuration.createPerSecond),
            logger: logger,
            started: .now,
            allowHostFolders: configuration.allowHostFolders)
        self.context = context
    }

    /// The Hummingbird application. `onRunning` receives the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let ctx = context
        let router = Router(context: VibeRequestContext.self)
        if !configuration.corsOrigins.isEmpty { router.add(middleware: CORSPolicy(origins: Set(configuration.corsOrigins))) }
        router.add(middleware: JSONErrorMiddleware(routes: Self.routeTable, logger: ctx.logger, metrics: ctx.metrics))
        let health: @Sendable (Request, VibeRequestContext) async throws -> Response = { _, _ in
            JSONResponse.make(
                HealthResponse(
                    version: VibeVersion.current, driver: ctx.registry.driver.name,
                    uptimeMs: Int((ContinuousClock.now - ctx.started).milliseconds)))
        }
        router.get(RouterPath(Routes.healthz), use: health)
        router.get(RouterPath(Routes.prefix + "/healthz"), use: health)
        router.get(RouterPath(Routes.metrics)) { request, _ in
            // With auth on, any valid token may read them (they name no session).
            _ = try await ctx.authenticator.subject(
                authorization: request.headers[.authorization], queryToken: request.uri.queryParameters.get("token"))
            let text = ctx.metrics.render(sessions: await ctx.registry.list(owner: nil))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let api = router.group(RouterPath(Routes.prefix))
        if ctx.authenticator.isEnabled { api.add(middleware: AuthMiddleware(authenticator: ctx.authenticator)) }
        SessionRoutes(server: ctx).register(on: api)
        AdminRoutes(server: ctx, adminSubject: configuration.adminSubject, authOn: ctx.authenticator.isEnabled)
            .register(on: api)
        WorkspaceRoutes(server: ctx).register(on: api)

        let wsRouter = Router(context: SocketRequestContext.self)
        wsRouter.ws(RouterPath(Routes.prefix + "/container/{id}/terminal")) { inbound, outbound, wsContext in
            ctx.metrics.socketOpened("terminal")
            defer { ctx.metrics.socketClosed("terminal") }
            try await TerminalSocket(server: ctx).handle(inbound: inbound, outbound: outbound, context: wsContext)
        }
        wsRouter.ws(RouterPath(Routes.prefix + "/container/{id}/fs-events")) { inbound, outbound, wsContext in
            ctx.metrics.socketOpened("fs_events")
            defer { ctx.metrics.socketClosed("fs_events") }
            try await FSEventsSocket(server: ctx).handle(inbound: inbound, outbound: outbound, context: wsContext)
        }
        wsRouter.ws(RouterPath(Routes.prefix + "/container/{id}/status")) { inbound, outbound, wsContext in
            ctx.metrics.socketOpened("status")
            defer { ctx.metrics.socketClosed("status") }
            try await StatusSocket(server: ctx).handle(inbound: inbound, outbound: outbound, context: wsContext)
        }
        wsRouter.ws(RouterPath(Routes.prefix + "/container/{id}/logs")) { inbound, outbound, wsContext in
            ctx.metrics.socketOpened("logs")
            defer { ctx.metrics.socketClosed("logs") }
            try await LogsSocket(server: ctx).handle(inbound: inbound, outbound: outbound, context: wsContext)
        }
        return Application(
            router: router,
            server: guardedServer(webSocketRouter: wsRouter, logger: ctx.logger),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "vibe/\(VibeVersion.current)"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: ctx.logger
        )
    }

    /// HTTP/1 with the WebSocket upgrade, behind the edge's limits (``GuardedChildChannel``).
    private func guardedServer(
        webSocketRouter: Router<SocketRequestContext>, logger: Logger
    ) -> HTTPServerBuilder {
        let limits = configuration.connections
        let wsResponder = webSocketRouter.buildResponder()
        let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: .init(limits.keepAliveTimeout)),
            ws: .init(maxFrameSize: Self.maxFrameSize, autoPing: .enabled(timePeriod: .seconds(15))))
        let paths = HTTPEdgeGuard.Paths(sockets: Self.socketTable, routes: Self.routeTable)
        let counter = ConnectionCounter(limits: limits, logger: logger)
        logger.info(
            "connection limits: \(limits.perPeer == 0 ? "no cap" : String(limits.perPeer)) per peer, \(limits.effectiveTotal) in all",
            metadata: ["event": "edge.limits"])
        return HTTPServerBuilder { responder in
            GuardedChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: wsResponder, configuration: channelConfiguration),
                limits: limits, paths: paths, counter: counter, logger: logger)
        }
    }

    /// Largest WebSocket frame (and message) a client may send: 1 MiB.
    static let maxFrameSize = 1 << 20

    static let socketTable = RouteTable([
        Routes.prefix + "/container/{id}/terminal", Routes.prefix + "/container/{id}/fs-events",
        Routes.prefix + "/container/{id}/status", Routes.prefix + "/container/{id}/logs",
    ])

    /// A service that, on graceful shutdown, stops every workspace (sockets close with 1001, shells
    /// get SIGHUP and are reaped). List it after the application so it shuts down first.
    public var sessionsService: some Service {
        SessionsService(registry: registry, idleSuspend: configuration.idleSuspend, logger: context.logger)
    }

    static let routeTable = RouteTable([
        Routes.healthz, Routes.prefix + "/healthz", Routes.metrics, Routes.sessionStatus, Routes.sessions,
        Routes.prefix + "/sessions/{id}", Routes.prefix + "/sessions/{id}/open", Routes.prefix + "/sessions/{id}/exec",
        Routes.prefix + "/sessions/{id}/suspend",
        Routes.prefix + "/sessions/{id}/fs/tree", Routes.prefix + "/sessions/{id}/fs/file",
        Routes.prefix + "/sessions/{id}/fs/list", Routes.prefix + "/sessions/{id}/fs/edit",
        Routes.prefix + "/sessions/{id}/fs/delete", Routes.prefix + "/sessions/{id}/fs/move",
        Routes.prefix + "/sessions/{id}/fs/glob", Routes.prefix + "/sessions/{id}/fs/grep",
        Routes.prefix + "/sessions/{id}/layout", Routes.prefix + "/admin/new-sessions",
        Routes.prefix + "/container/{id}/terminal", Routes.prefix + "/container/{id}/fs-events",
        Routes.prefix + "/container/{id}/status", Routes.prefix + "/container/{id}/logs",
    ])
}

/// Suspends idle sessions while the server runs, and stops the registry's workspaces when the service
/// group shuts down.
struct SessionsService: Service {
    let registry: SessionRegistry
    let idleSuspend: Duration?
    let logger: Logger

    func run() async throws {
        let idle = idleSuspend.map { limit in Task { await IdleSuspender(registry: registry, limit: limit).run() } }
        try? await gracefulShutdown()
        idle?.cancel()
        await registry.shutdown()
    }
}
