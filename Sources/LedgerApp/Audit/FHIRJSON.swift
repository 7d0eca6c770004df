import Foundation
import LedgerCore

/// A FHIR resource built as plain values (`FHIRAuditEvent`), written by `JSONEncoder` rather than
/// `JSONSerialization`: on Linux the latter bridges every value to an NSObject and sorts keys with
/// `NSString.compare`, which was 80 % of a FHIR export's CPU (2,045 AuditEvents/s on 1.1M).
/// Written canonically (sorted keys, unescaped slashes), as the rest of the ledger's JSON.
package enum FHIRJSON {
    package static func encode(_ resource: [String: Any]) throws -> Data {
        try CanonicalJSON.encode(Tree(resource))
    }

    /// The value kinds `FHIRAuditEvent` builds from: strings, booleans, whole and decimal numbers,
    /// arrays and objects. Anything else is a programming error, refused rather than guessed at.
    struct Tree: Encodable {
        let value: Any
        init(_ value: Any) { self.value = value }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch value {
            case let text as String: try container.encode(text)
            case let flag as Bool: try container.encode(flag)
            case let number as Int: try container.encode(number)
            case let number as Int64: try container.encode(number)
            case let number as Double: try container.encode(number)
            case let items as [Any]: try container.encode(items.map(Tree.init))
            case let members as [String: Any]: try container.encode(members.mapValues(Tree.init))
            default:
                throw EncodingError.invalidValue(
                    value, .init(codingPath: encoder.codingPath, debugDescription: "not a FHIR JSON value: \(type(of: value))"))
            }
        }
    }
}
