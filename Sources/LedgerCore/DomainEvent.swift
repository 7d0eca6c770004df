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

    /// An event whose type writes its own JSON (`CanonicalJSONWriting`, a payment's two) takes
    /// that path: here the event's type is only the generic `E`, so it is asked once.
    public init<E: DomainEvent>(_ event: E) throws {
        let data =
            if let writing = event as? any CanonicalJSONWriting {
                try CanonicalJSON.encode(writing)
            } else {
                try CanonicalJSON.encode(event)
            }
        self.init(type: E.type, typeVersion: E.typeVersion, data: data)
    }

    /// Refuses schema versions newer than this build knows, so an old binary replaying a newer
    /// log stops loudly instead of misreading events. Older versions would be upcast here.
    public func decode<E: DomainEvent>(as _: E.Type) throws -> E {
        try requireKnownVersion(of: E.self)
        return try CanonicalJSON.decode(E.self, from: data)
    }

    /// The same, for an event type that reads itself (`CanonicalJSONReading`).
    package func decode<E: DomainEvent & CanonicalJSONReading>(as _: E.Type) throws -> E {
        try requireKnownVersion(of: E.self)
        return try CanonicalJSON.decode(E.self, from: data)
    }

    private func requireKnownVersion<E: DomainEvent>(of _: E.Type) throws {
        guard typeVersion <= E.typeVersion else {
            throw UnknownEventVersion(type: type, typeVersion: typeVersion, known: E.typeVersion)
        }
    }
}

/// One JSON form for everything the log hashes: sorted keys, no escaped slashes, so equal values
/// give equal bytes on every platform.
public enum CanonicalJSON {
    // Shared instances: Foundation's coders are thread-safe once configured, and making one per
    // event showed up in replay profiles.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder = JSONDecoder()

    /// `CanonicalJSONEncoder` first, and Foundation's encoder wherever it refuses, so the bytes and
    /// any error are the ones Foundation gives. Debug builds (every test) encode with both and stop
    /// on a difference.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        guard let data = try? CanonicalJSONEncoder.encode(value) else { return try encoder.encode(value) }
        #if DEBUG
            assertWrittenAsFoundation(value, data, writer: "CanonicalJSONEncoder")
        #endif
        return data
    }

    /// A type that writes its own canonical JSON (`CanonicalJSONWriting`), chosen over the generic
    /// `encode` wherever the compiler knows the type. Debug builds compare with Foundation too.
    public static func encode<T: CanonicalJSONWriting>(_ value: T) throws -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        value.appendCanonicalJSON(to: &bytes)
        let data = Data(bytes)
        #if DEBUG
            assertWrittenAsFoundation(value, data, writer: "\(T.self)'s own writer")
        #endif
        return data
    }

    #if DEBUG
        /// Stops unless Foundation's encoder writes `data` for `value`.
        private static func assertWrittenAsFoundation<T: Encodable>(_ value: T, _ data: Data, writer: String) {
            let foundation = try? encoder.encode(value)
            precondition(
                foundation == data,
                "\(writer) wrote \(T.self) unlike Foundation: \(String(decoding: data, as: UTF8.self)) against \(foundation.map { String(decoding: $0, as: UTF8.self) } ?? "a refusal")")
        }
    #endif

    /// A value from JSON the ledger wrote (the log, a projection's state), or a request's body:
    /// `TapeJSONDecoder` first, and Foundation's decoder wherever it refuses, so the value and any
    /// error are the ones Foundation gives. Debug builds (every test) decode with both and stop on
    /// a difference.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decode(data, readingFirst: { try TapeJSONDecoder.decode(T.self, from: $0) })
    }

    /// A type that reads itself off the tape (`CanonicalJSONReading`), chosen over the generic
    /// `decode` wherever the compiler knows the type; Foundation's decoder wherever it refuses.
    /// Debug builds compare with Foundation too.
    package static func decode<T: CanonicalJSONReading>(_ type: T.Type, from data: Data) throws -> T {
        try decode(data, readingFirst: { try CanonicalJSONObjectReader.read(T.self, from: $0) })
    }

    /// `read`'s value, or Foundation's value or error wherever `read` refuses.
    private static func decode<T: Decodable>(_ data: Data, readingFirst read: (Data) throws -> T) throws -> T {
        guard let value = try? read(data) else { return try decoder.decode(T.self, from: data) }
        #if DEBUG
            assertSameAsFoundation(value, data)
        #endif
        return value
    }

    #if DEBUG
        private static func assertSameAsFoundation<T: Decodable>(_ value: T, _ data: Data) {
            guard let foundation = try? decoder.decode(T.self, from: data) else {
                preconditionFailure("The tape's reader read \(T.self) where Foundation refuses: \(String(decoding: data, as: UTF8.self))")
            }
            guard let value = value as? any Encodable, let foundation = foundation as? any Encodable else { return }
            let ours = try? encoder.encode(value), theirs = try? encoder.encode(foundation)
            precondition(
                ours == theirs,
                "The tape's reader read \(T.self) unlike Foundation: \(String(decoding: data, as: UTF8.self))")
        }
    #endif
}

public struct UnknownEventVersion: Error, CustomStringConvertible {
    public var type: String
    public var typeVersion: Int
    public var known: Int
    public var description: String {
        "\(type) version \(typeVersion) is newer than this build understands (up to \(known)); upgrade grantledger"
    }
}
