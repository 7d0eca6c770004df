import Foundation
import LedgerCore
import LedgerStore

/// An access-log record as the ledger stores it: the reported (or the ledger's own) NEN 7513
/// record plus where and when the ledger wrote it.
package struct StoredAuditRecord: Sendable, Equatable {
    /// The ledger's id of the stored record (the FHIR resource id).
    package var id: String
    /// Its position in the log.
    package var seq: Int64
    /// When the ledger wrote it, Unix milliseconds (FHIR `recorded`).
    package var recordedAtMs: Int64
    /// The reporting client's id, or `grantledger` for the ledger's own decisions (FHIR `source.observer`).
    package var sourceId: String
    package var record: AuditRecord

    package init(id: String, seq: Int64, recordedAtMs: Int64, sourceId: String, record: AuditRecord) {
        self.id = id
        self.seq = seq
        self.recordedAtMs = recordedAtMs
        self.sourceId = sourceId
        self.record = record
    }

    package init(_ row: AuditRow) throws {
        self.init(id: row.id, seq: row.seq, recordedAtMs: row.recordedAtMs, sourceId: row.sourceId, record: try row.record())
    }
}

/// NEN 7513 records as FHIR R4 AuditEvent resources and searchset Bundles, following the field
/// mapping in `shared/specs/nen7513.md` (the Zorgviewer and VZVZ `nl-vzvz-AuditEvent` profiles).
/// Pure: plain JSON objects for `JSONSerialization`. An absent optional value is left out
/// entirely, never written as null, "" or [] (FHIR forbids empty elements).
package enum FHIRAuditEvent {
    package static let eventTypeSystem = "https://grantledger.dev/fhir/CodeSystem/event"
    package static let requestIdExtension = "https://grantledger.dev/fhir/StructureDefinition/request-id"
    package static let traceIdExtension = "https://grantledger.dev/fhir/StructureDefinition/trace-id"
    /// The reporting client's own `record_id` (its idempotency key), kept so nothing reported is lost.
    package static let recordIdExtension = "https://grantledger.dev/fhir/StructureDefinition/record-id"
    package static let dicomSystem = "http://dicom.nema.org/resources/ontology/DCM"
    package static let bsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn"
    package static let actReasonSystem = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
    package static let roleClassSystem = "http://terminology.hl7.org/CodeSystem/v3-RoleClass"
    package static let entityTypeSystem = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
    package static let objectRoleSystem = "http://terminology.hl7.org/CodeSystem/object-role"

    /// The spellings of DICOM's code system a reporter may use for `event.system`.
    static let dicomSystems: Set<String> = [
        dicomSystem, "https://dicom.nema.org/resources/ontology/DCM", "urn:oid:1.2.840.10008.2.16.4", "DCM",
    ]

    package static func resource(_ stored: StoredAuditRecord, baseURL: String) -> [String: Any] {
        let record = stored.record
        let recorded = AuditRecordReader.format(stored.recordedAtMs)
        var resource: [String: Any] = [
            "resourceType": "AuditEvent",
            "id": stored.id,
            "meta": ["lastUpdated": recorded],
            "type": eventType(record.event),
            "subtype": [coding(record.event)],
            "action": record.action.rawValue,
            "recorded": recorded,
            // R4 AuditEventOutcome: 0 success, 4 minor failure. A record that says nothing succeeded.
            "outcome": record.outcome == .failure ? "4" : "0",
            "agent": agents(record),
            "source": source(stored),
            "entity": [entity(record.subject, data: record.data, query: record.query)],
        ]
        if let ms = AuditRecordReader.milliseconds(record.occurredAt) {
            let occurred = AuditRecordReader.format(ms)
            resource["period"] = ["start": occurred, "end": occurred]
        }
        if let reason = nonEmpty(record.outcomeReason) { resource["outcomeDesc"] = reason }
        var purposes: [[String: Any]] = []
        if let purpose = nonEmpty(record.purpose) { purposes.append(["text": purpose]) }
        if record.emergency == true {
            // NEN 7513 ch. 9: whether the emergency ("break-glass") procedure was used.
            purposes.append([
                "coding": [["system": actReasonSystem, "code": "ETREAT", "display": "Emergency Treatment"]]
            ])
        }
        if !purposes.isEmpty { resource["purposeOfEvent"] = purposes }
        var extensions: [[String: Any]] = []
        for (url, value) in [
            (requestIdExtension, record.requestId), (traceIdExtension, record.traceId),
            (recordIdExtension, record.recordId),
        ] {
            if let value = nonEmpty(value) { extensions.append(["url": url, "valueString": value]) }
        }
        if !extensions.isEmpty { resource["extension"] = extensions }
        return resource
    }

    package static func bundle(
        _ records: [StoredAuditRecord], baseURL: String, selfURL: String, nextURL: String?, total: Int?
    ) -> [String: Any] {
        var links: [[String: Any]] = [["relation": "self", "url": selfURL]]
        if let next = nonEmpty(nextURL) { links.append(["relation": "next", "url": next]) }
        var bundle: [String: Any] = ["resourceType": "Bundle", "type": "searchset", "link": links]
        if let total { bundle["total"] = max(0, total) }
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let entries: [[String: Any]] = records.map { stored in
            [
                "fullUrl": base + "/fhir/AuditEvent/" + stored.id,
                "resource": resource(stored, baseURL: baseURL),
                "search": ["mode": "match"],
            ]
        }
        if !entries.isEmpty { bundle["entry"] = entries }
        return bundle
    }

    // MARK: - Parts

    /// `type`: the event itself when it is a DICOM audit event id (110110 Patient Record, …),
    /// else the reported code in the ledger's own code system. The reported coding is `subtype`.
    static func eventType(_ event: AuditRecord.Coding) -> [String: Any] {
        if let system = event.system, dicomSystems.contains(system) {
            var type = coding(event)
            type["system"] = dicomSystem
            return type
        }
        return coding(AuditRecord.Coding(code: event.code, system: eventTypeSystem, display: event.display))
    }

    static func coding(_ coding: AuditRecord.Coding) -> [String: Any] {
        var json: [String: Any] = ["code": coding.code]
        if let system = nonEmpty(coding.system) { json["system"] = system }
        if let display = nonEmpty(coding.display) { json["display"] = display }
        return json
    }

    static func agents(_ record: AuditRecord) -> [[String: Any]] {
        // The user is the requestor unless they acted on behalf of a responsible user (7.3.5, 7.3.6).
        var user = person(record.user, requestor: record.responsibleUser == nil)
        if let point = record.accessPoint, let address = nonEmpty(point.id) {
            var network: [String: Any] = ["address": address]
            if let type = networkType(point) { network["type"] = type }
            user["network"] = network
        }
        if let policy = nonEmpty(record.authorizationProtocol) { user["policy"] = [policy] }
        var agents = [user]
        if let responsible = record.responsibleUser { agents.append(person(responsible, requestor: true)) }
        if let organization = record.organization, let id = nonEmpty(organization.id) {
            var who: [String: Any] = ["identifier": ["value": id], "type": "Organization"]
            var agent: [String: Any] = [
                "type": [
                    "coding": [["system": roleClassSystem, "code": "PROV", "display": "healthcare provider"]],
                    "text": "organization",
                ],
                "requestor": false,
            ]
            if let name = nonEmpty(organization.name) {
                who["display"] = name
                agent["name"] = name
            }
            agent["who"] = who
            agents.append(agent)
        }
        return agents
    }

    /// A user or responsible user: the id verbatim as `who.identifier.value`, the role as given.
    static func person(_ person: AuditRecord.Person, requestor: Bool) -> [String: Any] {
        var who: [String: Any] = ["identifier": ["value": person.id]]
        var agent: [String: Any] = ["requestor": requestor]
        if let name = nonEmpty(person.name) {
            who["display"] = name
            agent["name"] = name
        }
        agent["who"] = who
        if let role = nonEmpty(person.role) { agent["role"] = [["coding": [["code": role]]]] }
        return agent
    }

    /// R4 `network-type`: 1 machine name, 2 IP address, 3 telephone, 4 e-mail, 5 URI. A type the
    /// table does not know is read from the address (an IP literal is 2), else left out.
    static func networkType(_ point: AuditRecord.AccessPoint) -> String? {
        switch point.type.lowercased() {
        case "1", "2", "3", "4", "5": return point.type
        case "machine", "machine_name", "machine-name", "machinename", "hostname", "host", "host_name", "dns":
            return "1"
        case "ip", "ip_address", "ip-address", "ipaddress", "ipv4", "ipv6": return "2"
        case "phone", "telephone", "telephone_number", "tel": return "3"
        case "email", "e-mail", "mail": return "4"
        case "uri", "url": return "5"
        default: return isIPAddress(point.id) ? "2" : nil
        }
    }

    /// An IPv4 dotted quad or an IPv6 literal (hex groups and colons, an embedded IPv4 tail allowed).
    static func isIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4,
            parts.allSatisfy({ part in
                (1...3).contains(part.count) && part.allSatisfy({ $0.isASCII && $0.isNumber }) && Int(part)! <= 255
            })
        {
            return true
        }
        return text.filter({ $0 == ":" }).count >= 2
            && text.allSatisfy { $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") }
    }

    static func source(_ stored: StoredAuditRecord) -> [String: Any] {
        var source: [String: Any] = ["observer": ["identifier": ["value": stored.sourceId]]]
        if let site = nonEmpty(stored.record.siteId) { source["site"] = site }
        return source
    }

    /// The patient (7.4): audit-entity-type 1 Person in object-role 1 Patient, identified by the
    /// identifier type's naming system (BSN's is `http://fhir.nl/fhir/NamingSystem/bsn`).
    static func entity(_ subject: AuditRecord.Subject, data: String?, query: String?) -> [String: Any] {
        var entity: [String: Any] = [
            "type": ["system": entityTypeSystem, "code": "1", "display": "Person"],
            "role": ["system": objectRoleSystem, "code": "1", "display": "Patient"],
        ]
        // An empty id (a FHIR search for `patient=` was recorded so before it was refused) leaves
        // `what` out: FHIR has no empty strings, and one would make the whole searchset invalid.
        if let id = nonEmpty(subject.id) {
            var identifier: [String: Any] = ["value": id]
            if let system = nonEmpty(identifierSystem(subject.idType)) { identifier["system"] = system }
            entity["what"] = ["identifier": identifier]
        }
        if let data = nonEmpty(data) { entity["detail"] = [["type": "data", "valueString": data]] }
        if let query = nonEmpty(query) { entity["query"] = Data(query.utf8).base64EncodedString() }
        return entity
    }

    /// `subject.id_type` as an identifier system: BSN (any case) as its Dutch naming system,
    /// anything else verbatim.
    static func identifierSystem(_ idType: String) -> String {
        idType.lowercased() == "bsn" ? bsnSystem : idType
    }

    /// The id types `identifierSystem` writes as the BSN naming system, beside the system itself:
    /// `bsn` in each of its eight cases. A search by that system finds records reported with any.
    package static let bsnIdTypes = ["bsn", "Bsn", "bSn", "BSn", "bsN", "BsN", "bSN", "BSN"]

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
