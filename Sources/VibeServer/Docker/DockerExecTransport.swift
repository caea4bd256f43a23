import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// An engine exec stream hijacked from HTTP (`POST /exec/{id}/start` with `Upgrade: tcp`): the link from
/// the server to a container's workspace agent. Bytes written go to the exec's stdin as they are; what
/// comes back is the engine's multiplexed stream, whose stdout frames are the agent's lines (stderr
/// frames are the relay's own complaints, logged by the caller through `onStderr`).
public final class DockerExecTransport: AgentTransport {
    private let channel: any Channel
    public let incoming: AsyncStream<[UInt8]>

    private init(channel: any Channel, incoming: AsyncStream<[UInt8]>) {
        self.channel = channel
        self.incoming = incoming
    }

    /// Starts exec `execID` on `engine` and returns its stream once the engine switched protocols.
    static func open(engine: DockerEngine, execID: String, onStderr: @escaping @Sendable ([UInt8]) -> Void)
        async throws -> DockerExecTransport
    {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        let (upgraded, upgradeSink) = AsyncStream<Result<Void, DockerError>>.makeStream()
        let handler = HijackHandler(output: continuation, upgraded: upgradeSink, onStderr: onStderr)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) } }
        let channel: any Channel
        do {
            switch engine.address {
            case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
            }
        } catch {
            throw DockerError.unreachable("no Docker engine answers at \(engine.address): \(error)")
        }
        let body = #"{"Detach":false,"Tty":false}"#
        let request = "POST /v\(DockerEngine.apiVersion)/exec/\(execID)/start HTTP/1.1\r\nHost: docker\r\n"
            + "Content-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        try await channel.writeAndFlush(channel.allocator.buffer(string: request))
        var iterator = upgraded.makeAsyncIterator()
        switch await iterator.next() {
        case .success?: return DockerExecTransport(channel: channel, incoming: stream)
        case .failure(let error)?:
            try? await channel.close()
            throw error
        case nil:
            try? await channel.close()
            throw DockerError.badAnswer(status: 0, body: "the engine closed the exec stream before answering")
        }
    }

    public func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    public func close() async {
        try? await channel.close()
    }
}

/// Reads the engine's HTTP answer head, then demultiplexes the raw stream.
private final class HijackHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private let output: AsyncStream<[UInt8]>.Continuation
    private let upgraded: AsyncStream<Result<Void, DockerError>>.Continuation
    private let onStderr: @Sendable ([UInt8]) -> Void
    private var head: [UInt8] = []
    private var switched = false
    private var demux = DockerStreamDemux()

    init(
        output: AsyncStream<[UInt8]>.Continuation, upgraded: AsyncStream<Result<Void, DockerError>>.Continuation,
        onStderr: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.output = output
        self.upgraded = upgraded
        self.onStderr = onStderr
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Array(unwrapInboundIn(data).readableBytesView)
        if !switched {
            head.append(contentsOf: bytes)
            guard let end = head.firstRange(of: [13, 10, 13, 10]) else {
                if head.count > 16 << 10 { fail(context, "an answer head over 16 KiB") }
                return
            }
            let text = String(decoding: head[..<end.lowerBound], as: UTF8.self)
            let status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            guard status == 101 || status == 200 else {
                fail(context, "exec start answered \(status): \(text.prefix(200))")
                return
            }
            switched = true
            upgraded.yield(.success(()))
            upgraded.finish()
            bytes = Array(head[end.upperBound...])
            head = []
        }
        for frame in demux.feed(bytes) {
            if frame.stream == 2 { onStderr(frame.payload) } else { output.yield(frame.payload) }
        }
    }

    private func fail(_ context: ChannelHandlerContext, _ what: String) {
        upgraded.yield(.failure(DockerError.badAnswer(status: 0, body: what)))
        upgraded.finish()
        output.finish()
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        upgraded.finish()
        output.finish()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelEvent, case .inputClosed = event as? ChannelEvent {
            output.finish()
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        output.finish()
        context.close(promise: nil)
    }
}
