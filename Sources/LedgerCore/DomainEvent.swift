import Foundation

/// A fact in the past tense, as the log stores it: a type name, a schema version and a JSON payload.
public protocol DomainEvent: Codable, Sendable, Equatable {
    static var type: String { get }
    static var typeVersion: Int { get }
}

/// The untyped form every event takes between the deciders and the log.
public struct EventPayload: Sendable, Equatable {
    public var type: String
    public var typeVersion: Int
    public var data: Data

    public init(type: String, typeVersion: Int, data: Data) {
        self.type = type
        self.typeVersion = typeVersion
        self.data = data
    }

    public init<E: DomainEvent>(_ event: E) throws {
        self.init(type: E.type, typeVersion: E.typeVersion, data: try CanonicalJSON.encode(event))
    }

    public func decode<E: DomainEvent>(as _: E.Type) throws -> E {
        try CanonicalJSON.decoder.decode(E.self, from: data)
    }
}

/// One JSON form for everything the log hashes: sorted keys, no escaped slashes, so equal values
/// give equal bytes on every platform.
public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static var decoder: JSONDecoder { JSONDecoder() }
}
