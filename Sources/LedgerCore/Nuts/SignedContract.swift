import Foundation

/// A contract text read back: the one a signing session is asked to sign, or the one inside a
/// presentation to verify (the node's `ParseContractString`).
public struct SignedContract: Sendable, Equatable {
    public let template: ContractTemplate
    public let legalEntity: String
    public let city: String
    /// The dates as written in the text (the node returns these in `credentials`).
    public let validFromText: String
    public let validToText: String
    /// Whole seconds: the text has no milliseconds.
    public let validFromMs: Int64
    public let validToMs: Int64

    /// A contract is a few hundred bytes; the legal entity and city are organisation names. The bound
    /// also keeps the template's four greedy groups from backtracking over a large input.
    public static let textBytesMax = 2_048

    /// Reads `text` in the node's order, the first failing step answering:
    /// 1. longer than `textBytesMax` → bad format;
    /// 2. no `^(.{2}):(.+):(v\d+)` prefix → "could not extract contract version, language and type";
    /// 3. no such template → not found, naming the language, type and version read;
    /// 4. the template's text does not match → "could not match the contract template regex";
    /// 5. a date does not read back in `timeZone` → bad format, naming the attribute and the date.
    ///
    /// Stricter than the node, on purpose: the template must match the whole text (the node's regexp
    /// is unanchored and its dots match any character, `CareTown! This` included), and v1 texts are
    /// refused at step 4 (their attributes have no city; the node only keeps v1 for old test data).
    /// Like the node, the values are greedy: a legal entity containing ` located in ` reads back cut
    /// at the last one. See `ContractTemplate.values(in:)` for why that step is not a regex.
    public static func parse(
        _ text: String, timeZone: TimeZone = ContractTemplate.amsterdamTimeZone
    ) throws(ContractError) -> SignedContract {
        guard text.utf8.count <= textBytesMax else { throw .textTooLong(bytesMax: textBytesMax) }

        // Go's `.` stops at a line break and `.+` is greedy, as here: the type runs to the last
        // `:v<digits>` on the first line, so the version read is the node's.
        guard let prefix = text.prefixMatch(of: #/(.{2}):(.+):(v[0-9]+)/#) else { throw .noPrefix }
        let (language, type, version) = (String(prefix.output.1), String(prefix.output.2), String(prefix.output.3))
        guard let template = ContractTemplate.find(type: type, language: language, version: version) else {
            throw .templateNotFound(language: language, type: type, version: version)
        }

        // v1 has an acting party and no city: refused here, as this service draws up v3 only.
        guard template.templateAttributes == ContractTemplate.enPractitionerLoginV3.templateAttributes,
            let values = template.values(in: text), let legalEntity = values[ContractTemplate.legalEntityAttribute],
            let city = values[ContractTemplate.legalEntityCityAttribute],
            let validFromText = values[ContractTemplate.validFromAttribute],
            let validToText = values[ContractTemplate.validToAttribute]
        else { throw .noTemplateMatch }

        guard let validFromMs = ContractDate.parse(validFromText, timeZone: timeZone) else {
            throw .badDate(attribute: ContractTemplate.validFromAttribute, text: validFromText)
        }
        guard let validToMs = ContractDate.parse(validToText, timeZone: timeZone) else {
            throw .badDate(attribute: ContractTemplate.validToAttribute, text: validToText)
        }
        return SignedContract(
            template: template, legalEntity: legalEntity, city: city,
            validFromText: validFromText, validToText: validToText,
            validFromMs: validFromMs, validToMs: validToMs)
    }

    /// The node's `VerifyForGivenTime`, in its order. Valid when `validFromMs <= atMs <= validToMs`:
    /// both ends count, as the node refuses only a time before `valid_from` or after `valid_to`
    /// (and `valid_to` is a whole second, so 1 ms past it is expired).
    public func check(atMs: Int64) throws(ContractError) {
        if validFromMs > validToMs { throw .periodReversed }
        if atMs < validFromMs { throw .notYetValid }
        if atMs > validToMs { throw .expired }
    }
}
