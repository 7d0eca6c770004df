import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// What the canned upstream received.
struct RecordedRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var headers: HTTPHeaders
    var body: String

    /// The body as a JSON object, for field-by-field checks.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
}

/// An answer: status and body, or nil to never answer (for timeouts).
typealias CannedAnswer = @Sendable (RecordedRequest) -> (HTTPResponseStatus, String)?

/// A tiny in-process HTTP server on 127.0.0.1 that answers canned JSON and records every request,
/// standing in for a real UMA Auth API.
final class CannedUpstream: Sendable {
    private let channel: any Channel
    private let log: RequestLog

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)/umanwc/v1" }
    var requests: [RecordedRequest] { log.all }

    private init(channel: any Channel, port: Int, log: RequestLog) {
        self.channel = channel
        self.port = port
        self.log = log
    }

    static func start(_ answer: @escaping CannedAnswer) async throws -> CannedUpstream {
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CannedHandler(answer: answer, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return CannedUpstream(channel: channel, port: channel.localAddress?.port ?? 0, log: log)
    }

    func stop() async throws { try await channel.close() }
}

/// Shared between the server's handlers (on event loops) and the test.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [RecordedRequest] = []

    func append(_ request: RecordedRequest) { lock.withLock { requests.append(request) } }

    var all: [RecordedRequest] { lock.withLock { requests } }
}

private final class CannedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let answer: CannedAnswer
    let log: RequestLog
    var head: HTTPRequestHead?
    var body = ByteBuffer()

    init(answer: @escaping CannedAnswer, log: RequestLog) {
        self.answer = answer
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method, uri: head.uri, headers: head.headers, body: String(buffer: body))
            log.append(request)
            guard let (status, text) = answer(request) else { return }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
