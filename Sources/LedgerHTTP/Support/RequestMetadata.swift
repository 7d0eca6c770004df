import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import NIOCore

/// Builds the audit envelope of an event from the request that caused it.
enum RequestMetadata {
    /// The caller's `X-Request-Id` when it is sane, a fresh UUID otherwise.
    static func requestId(_ request: Request) -> String {
        if let given = request.headers[.xRequestId], (1...128).contains(given.count),
            given.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.asciiValue.map { $0 >= 0x21 && $0 < 0x7F } == true }
            )
        {
            return given
        }
        var generator = IdentifierRandomness()
        return generator.uuidString()
    }

    /// The trace id of a W3C `traceparent` header: version-traceid-parentid-flags.
    static func traceId(_ request: Request) -> String? {
        guard let header = request.headers[.traceparent] else { return nil }
        let parts = header.split(separator: "-")
        guard parts.count == 4, parts[1].count == 32, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return String(parts[1]).lowercased()
    }

    static func admin(
        _ request: Request, context: LedgerRequestContext, action: EventMetadata.Action, subjectUserId: String?
    ) -> EventMetadata {
        make(
            request, context: context, actor: .init(id: "admin", role: "admin"), action: action,
            subjectUserId: subjectUserId)
    }

    /// The envelope for whoever authenticated: the admin, an app acting for its user through its
    /// connection, or the user themself.
    static func make(
        _ request: Request, context: LedgerRequestContext, caller: Caller, action: EventMetadata.Action
    ) -> EventMetadata {
        switch caller {
        case .admin:
            admin(request, context: context, action: action, subjectUserId: nil)
        case .connection(let auth):
            make(
                request, context: context, actor: .init(id: "connection:\(auth.connection.id)", role: "app"),
                onBehalfOf: auth.connection.userId, action: action, subjectUserId: auth.connection.userId)
        case .user(let user):
            make(
                request, context: context, actor: .init(id: "user:\(user.subject)", role: "user"), action: action,
                subjectUserId: user.subject)
        }
    }

    static func make(
        _ request: Request, context: LedgerRequestContext, actor: EventMetadata.Actor, onBehalfOf: String? = nil,
        action: EventMetadata.Action, subjectUserId: String?
    ) -> EventMetadata {
        source(request, context: context).metadata(
            actor: actor, onBehalfOf: onBehalfOf, action: action, subjectUserId: subjectUserId)
    }

    /// Where the request came from: the peer, its request and trace ids, its stated purpose.
    static func source(_ request: Request, context: LedgerRequestContext) -> RequestSource {
        RequestSource(
            ip: context.remoteAddress?.ipAddress, requestId: requestId(request), traceId: traceId(request),
            purpose: request.headers[.xPurpose].flatMap { $0.count <= 200 ? $0 : nil })
    }

    /// Tells a retry from a different request under the same `Idempotency-Key`: SHA-256 of the
    /// method, path and body.
    static func requestDigest(_ request: Request, body: Data) -> String {
        var input = Data("\(request.method.rawValue) \(request.uri.path)\n".utf8)
        input.append(body)
        return Hex.encode(SHA256.hash(data: input))
    }

    /// `Idempotency-Key`: 1 to 255 visible ASCII characters.
    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 < 0x7F }) else {
            throw APIError.badRequest("invalid_header", "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return key
    }
}

extension HTTPField.Name {
    static let xRequestId = Self("X-Request-Id")!
    static let traceparent = Self("traceparent")!
    static let xPurpose = Self("X-Purpose")!
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
