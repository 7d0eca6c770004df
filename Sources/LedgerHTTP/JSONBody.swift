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
            return (try JSONDecoder().decode(T.self, from: data), data)
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
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw UMAError.invalid("the body must be \(expected)")
        }
    }
}

extension DecodingError {
    /// Foundation reports unparsable bytes as corrupted data at the root.
    var isSyntax: Bool {
        if case .dataCorrupted(let context) = self, context.codingPath.isEmpty { return true }
        return false
    }

    /// "scopes[1]: expected a string" rather than Foundation's debug text.
    var explanation: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".")
                .description
        }
        switch self {
        case .typeMismatch(let type, let context):
            let at = path(context.codingPath)
            return "\(at.isEmpty ? "the body" : at): expected \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.describe(type)), found null"
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing field \(parent.isEmpty ? "" : parent + ".")\(key.stringValue)"
        case .dataCorrupted(let context):
            if isSyntax { return "the body is not valid JSON" }
            let at = path(context.codingPath)
            return at.isEmpty ? context.debugDescription : "\(at): \(context.debugDescription)"
        @unknown default:
            return "the body does not match the expected shape"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type, is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String: Any].Type: "an object"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}

/// Coding keys for any member name, to see which members a JSON object has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Refuses members the type does not know: a misspelt `expires_at` must not silently grant a
    /// connection that never expires.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws {
        let known = Set(Keys.allCases.map(\.stringValue))
        let present = try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        if let unknown = present.first(where: { !known.contains($0) }) {
            throw UnknownFieldError(name: String(unknown.prefix(64)), allowed: known.sorted())
        }
    }
}

struct UnknownFieldError: Error, CustomStringConvertible {
    var name: String
    var allowed: [String]
    var description: String { "unknown field \"\(name)\"; allowed: \(allowed.joined(separator: ", "))" }
}
