import Foundation

/// A Nuts login contract template (the node's `auth/contract/store.go`): the text a practitioner
/// signs to act on behalf of a care organisation for a while. The language, type and version are
/// also the text's own prefix, `EN:PractitionerLogin:v3 `, which is how a signed text finds its
/// template again.
public struct ContractTemplate: Sendable, Equatable, Hashable {
    /// `EN` or `NL`, in capitals: the node's lookup is case-sensitive.
    public let language: String
    /// `PractitionerLogin` (EN) or `BehandelaarLogin` (NL).
    public let type: String
    /// `v1` or `v3`; the node has no `v2`.
    public let version: String
    /// The raw mustache text, verbatim from the node (served by `GET /public/auth/v1/contract/{type}`).
    public let template: String
    /// The placeholders in the order they appear in the text.
    public let templateAttributes: [String]
    /// The template cut at its placeholders, once: what `render` fills and `SignedContract` reads.
    let parts: [Part]

    enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(String)
    }

    init(language: String, type: String, version: String, template: String, templateAttributes: [String]) {
        self.language = language
        self.type = type
        self.version = version
        self.template = template
        self.templateAttributes = templateAttributes
        self.parts = Self.parts(of: template)
    }

    /// `{{{name}}}` and `{{name}}` become placeholders, everything else literal text; an unclosed
    /// `{{` stays literal. Internal: the catalogue is the node's, so no one else makes templates.
    private static func parts(of template: String) -> [Part] {
        var parts: [Part] = []
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            let triple = rest[open.upperBound...].hasPrefix("{")
            let nameStart = triple ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[nameStart...].range(of: triple ? "}}}" : "}}") else { break }
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            parts.append(.placeholder(String(rest[nameStart..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return parts
    }
}

extension ContractTemplate {
    public static let legalEntityAttribute = "legal_entity"
    public static let legalEntityCityAttribute = "legal_entity_city"
    public static let validFromAttribute = "valid_from"
    public static let validToAttribute = "valid_to"
    public static let actingPartyAttribute = "acting_party"

    /// The version the node takes when none is asked for.
    public static let defaultVersion = "v3"

    /// Where the node dates every contract, whatever the signer's zone: CET/CEST with DST.
    /// Fail-closed: without the zone every date would be off by an hour half the year.
    public static let amsterdamTimeZone: TimeZone = {
        guard let zone = TimeZone(identifier: "Europe/Amsterdam") else {
            preconditionFailure("time zone Europe/Amsterdam is missing (tzdata)")
        }
        return zone
    }()

    public static let nlBehandelaarLoginV1 = ContractTemplate(
        language: "NL", type: "BehandelaarLogin", version: "v1",
        template:
            "NL:BehandelaarLogin:v1 Ondergetekende geeft toestemming aan {{{acting_party}}} om namens {{{legal_entity}}} en ondergetekende het Nuts netwerk te bevragen. Deze toestemming is geldig van {{valid_from}} tot {{valid_to}}.",
        templateAttributes: [actingPartyAttribute, legalEntityAttribute, validFromAttribute, validToAttribute])

    public static let nlBehandelaarLoginV3 = ContractTemplate(
        language: "NL", type: "BehandelaarLogin", version: "v3",
        template:
            "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van {{{legal_entity}}} te {{{legal_entity_city}}}. Deze verklaring is geldig van {{valid_from}} tot {{valid_to}}.",
        templateAttributes: [legalEntityAttribute, legalEntityCityAttribute, validFromAttribute, validToAttribute]
    )

    public static let enPractitionerLoginV3 = ContractTemplate(
        language: "EN", type: "PractitionerLogin", version: "v3",
        template:
            "EN:PractitionerLogin:v3 I hereby declare to act on behalf of {{{legal_entity}}} located in {{{legal_entity_city}}}. This declaration is valid from {{valid_from}} until {{valid_to}}.",
        templateAttributes: [legalEntityAttribute, legalEntityCityAttribute, validFromAttribute, validToAttribute]
    )

    /// Exactly the node's `StandardContractTemplates`: no EN v1, no v2.
    public static let standard: [ContractTemplate] = [
        nlBehandelaarLoginV1, nlBehandelaarLoginV3, enPractitionerLoginV3,
    ]

    /// The node's `Get`: exact and case-sensitive (`en` finds nothing); an empty or absent version
    /// means `v3`. Nil when the combination does not exist (the node's 404).
    public static func find(type: String, language: String, version: String?) -> ContractTemplate? {
        let wanted = (version ?? "").isEmpty ? defaultVersion : version
        return standard.first { $0.type == type && $0.language == language && $0.version == wanted }
    }
}

extension ContractTemplate {
    /// The contract text the node draws up, character for character: the dates in `timeZone` with
    /// this template's language's names, the legal entity and city verbatim (the template's triple
    /// mustache does not escape them; the dates' double mustache would, but they hold only letters,
    /// digits, commas, colons and spaces). No mustache library: the templates are fixed, so one pass
    /// that swaps the placeholders is enough, and a value that itself looks like `{{valid_to}}` stays
    /// as written because values are never scanned again. A placeholder without a value (v1's
    /// `acting_party`) becomes empty, as mustache renders a missing variable.
    public func render(
        legalEntity: String, city: String, validFromMs: Int64, validToMs: Int64,
        timeZone: TimeZone = ContractTemplate.amsterdamTimeZone
    ) -> String {
        let names = ContractDate.names(language: language)
        let values = [
            Self.legalEntityAttribute: legalEntity,
            Self.legalEntityCityAttribute: city,
            Self.validFromAttribute: ContractDate.format(unixMs: validFromMs, timeZone: timeZone, names: names),
            Self.validToAttribute: ContractDate.format(unixMs: validToMs, timeZone: timeZone, names: names),
        ]
        var output = ""
        for part in parts {
            switch part {
            case .literal(let text): output += text
            case .placeholder(let name): output += values[name] ?? ""
            }
        }
        return output
    }
}
