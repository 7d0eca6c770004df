import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The body of every UMA Auth API error.
struct UpstreamErrorResponse: Decodable {
    var code: String
    var message: String?
}

extension UpstreamWallet {
    /// Characters a path segment or query value keeps as they are (RFC 3986 "unreserved");
    /// everything else, `$`, `@`, `/` and `&` included, is percent-encoded.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// Upstream messages reach API callers, so they are cut to a sane length.
    static let maxForwardedMessageLength = 300

    /// One call to the upstream, decoded as `Response`, with every failure turned into a
    /// `WalletError` that never contains the upstream credential.
    func call<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: (any Encodable)? = nil,
        for user: WalletUser, as type: Response.Type = Response.self
    ) async throws(WalletError) -> Response {
        let (status, bytes) = try await exchange(method, path, query: query, body: body, for: user)
        guard (200..<300).contains(status.code) else { throw mapFailure(status, bytes, path: path) }
        do {
            return try JSONDecoder().decode(Response.self, from: Data(bytes.readableBytesView))
        } catch {
            logger.warning("upstream answered with unexpected JSON", metadata: ["path": "\(path)"])
            // A 2xx the upstream sent: whatever it was asked to do, it may have done.
            throw WalletError.outcomeUnknown(
                "upstream wallet answered \(path) with JSON this server does not understand")
        }
    }

    private func exchange(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)], body: (any Encodable)?, for user: WalletUser
    ) async throws(WalletError) -> (HTTPResponseStatus, ByteBuffer) {
        guard !user.userId.isEmpty, user.userId.utf8.count <= 256,
            !user.userId.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw WalletError(.badRequest, "user id cannot be sent in a header") }

        let queryItems = query.compactMap { name, value in value.map { "\(name)=\(Self.encoded($0))" } }
        let url = baseURL + path + (queryItems.isEmpty ? "" : "?" + queryItems.joined(separator: "&"))
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(upstreamToken)")
        request.headers.add(name: userHeaderName, value: user.userId)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            do {
                let data = try JSONEncoder().encode(body)
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: data))
            } catch {
                throw WalletError(.badRequest, "request could not be encoded as JSON")
            }
        }

        let client = httpClient
        let prepared = request
        let timeout = timeout
        let maxResponseBytes = maxResponseBytes
        do {
            // One deadline for the whole call, body included (`ResponseBodyDeadline` says why the
            // body alone races a timer), with three seconds' grace for the body.
            let deadline = NIODeadline.now() + timeout
            let response = try await client.execute(prepared, deadline: deadline)
            let body = try await ResponseBodyDeadline.collect(
                response.body, upTo: maxResponseBytes, deadline: deadline, graceNanoseconds: 3_000_000_000)
            return (response.status, body)
        } catch {
            throw mapTransportError(error, path: path)
        }
    }

    private func mapTransportError(_ error: any Error, path: String) -> WalletError {
        let seconds = timeout.nanoseconds / 1_000_000_000
        let timeouts: [HTTPClientError] = [.deadlineExceeded, .connectTimeout, .readTimeout]
        // Transport errors name hosts and ports, never request headers, so the credential cannot
        // appear here.
        let described = String(describing: error).prefix(Self.maxForwardedMessageLength)
        if (error as? HTTPClientError) == .connectTimeout || error is NIOConnectionError
            || (error as? ChannelError).map(Self.beforeSending) == true
            || (error as? IOError).map { Self.refusedErrnos.contains($0.errnoCode) } == true
        {
            // The connection was never made: the request cannot have been carried out.
            logger.warning("upstream wallet unreachable", metadata: ["path": "\(path)", "error": "\(error)"])
            return WalletError(.internal, "upstream wallet unreachable: \(described)")
        }
        if error is ResponseBodyDeadline.Passed || (error as? HTTPClientError).map(timeouts.contains) == true {
            logger.warning("upstream wallet timed out", metadata: ["path": "\(path)"])
            return WalletError.outcomeUnknown("upstream wallet did not answer within \(seconds) s")
        }
        if error is NIOTooManyBytesError {
            logger.warning("upstream response too large", metadata: ["path": "\(path)"])
            return WalletError.outcomeUnknown("upstream wallet answered with more than \(maxResponseBytes) bytes")
        }
        logger.warning("upstream wallet connection failed", metadata: ["path": "\(path)", "error": "\(error)"])
        return WalletError.outcomeUnknown("upstream wallet connection failed: \(described)")
    }

    /// A connection refused or a host unreachable: nothing was sent.
    static let refusedErrnos: Set<Int32> = [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH]

    /// Channel errors that happen before any byte of the request is written.
    static func beforeSending(_ error: ChannelError) -> Bool {
        switch error {
        case .connectTimeout: true
        default: false
        }
    }

    private func mapFailure(_ status: HTTPResponseStatus, _ bytes: ByteBuffer, path: String) -> WalletError {
        if status == .unauthorized || status == .forbidden {
            logger.error(
                "upstream wallet refused our credential", metadata: ["path": "\(path)", "status": "\(status.code)"])
            return WalletError(.other, "upstream refused our credential")
        }
        if let failure = try? JSONDecoder().decode(UpstreamErrorResponse.self, from: Data(bytes.readableBytesView)),
            let code = WalletError.Code(rawValue: failure.code)
        {
            let message = (failure.message ?? failure.code).prefix(Self.maxForwardedMessageLength)
            return WalletError(code, String(message))
        }
        logger.warning(
            "upstream wallet answered without a UMA error", metadata: ["path": "\(path)", "status": "\(status.code)"])
        if status == .tooManyRequests {
            return WalletError(.rateLimited, "upstream wallet is rate limiting")
        }
        if status.code >= 500 {
            // A gateway or crash page, not the wallet's word: it may have paid before failing.
            return WalletError.outcomeUnknown("upstream wallet answered HTTP \(status.code) without a UMA error")
        }
        return WalletError(.internal, "upstream wallet answered HTTP \(status.code) without a UMA error")
    }
}
