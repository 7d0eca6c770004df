import LedgerApp
import LedgerCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a bounded JSON body and decodes it with messages a caller can act on.
enum JSONBody {
    /// The whole body, refused with 413 beyond `bytesMax`.
    static func bytes(from request: Request, bytesMax: Int) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: bytesMax).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(
                .contentTooLarge, code: "body_too_large", message: "the body is larger than \(bytesMax) bytes")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, bytesMax: Int) async throws -> (T, Data) {
        let data = try await bytes(from: request, bytesMax: bytesMax)
        // The body is parsed as JSON whatever Content-Type says: `curl -d` sends form-urlencoded by
        // default, and refusing it would only add a step to every quick test.
        guard !data.isEmpty else { throw APIError.badRequest("invalid_json", "the body must be a JSON object") }
        do {
            // `CanonicalJSON.decode`: the tape first, Foundation's decoder wherever it refuses, so the
            // value and every error are Foundation's; Foundation's decoder, made anew per request,
            // was 7 % of the request tasks' CPU in a keysend load (`perf`).
            return (try CanonicalJSON.decode(T.self, from: data), data)
        } catch let error as DecodingError {
            throw APIError.badRequest(error.isSyntax ? "invalid_json" : "invalid_field", error.explanation)
        } catch let error as UnknownFieldError {
            throw APIError.badRequest("unknown_field", error.description)
        }
    }
}

/// The NWC surfaces' bodies: the same checks, answered with UMA's `OTHER` (413 stays 413).
enum UMABody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, bytesMax: Int) async throws -> (T, Data) {
        do {
            return try await JSONBody.decode(type, from: request, bytesMax: bytesMax)
        } catch let error as APIError {
            throw error.status == .contentTooLarge ? error : UMAError.invalid(error.message)
        }
    }

    /// For bodies the spec makes optional: an empty body is nil.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, bytesMax: Int, expected: String)
        async throws -> T?
    {
        let data = try await JSONBody.bytes(from: request, bytesMax: bytesMax)
        guard !data.isEmpty else { return nil }
        do {
            return try CanonicalJSON.decode(T.self, from: data)
        } catch {
            throw UMAError.invalid("the body must be \(expected)")
        }
    }
}
