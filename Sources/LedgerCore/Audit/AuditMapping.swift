import Foundation

/// Every decision the ledger records is also a NEN 7513 record, built from the event's envelope
/// (`EventMetadata`): who (`actor`), for whom (`on_behalf_of`), about whom (`subject`), what
/// (`action`), from where (`source`), under which grant (the event's stream).
public enum AuditMapping {
    /// The code system of the ledger's own event codes.
    public static let system = "https://grantledger.dev/audit/event"
    /// The source id of the ledger's own records.
    public static let ledgerSource = "grantledger"

    /// Each event type's code (its name, stable across versions) and what a reader is shown.
    public static let displays: [String: String] = [
        "ConnectionGranted": "Grant created", "ConnectionUpdated": "Grant changed", "ConnectionRevoked": "Grant revoked",
        "TokenIssued": "Token issued", "TokenRevoked": "Token revoked", "SpendReserved": "Spend allowed (held)",
        "SpendDenied": "Spend denied", "SpendSettled": "Spend settled", "SpendReleased": "Spend released",
        "SpendCorrected": "Spend corrected", "BudgetThresholdReached": "Budget 80 % used",
        "AuthorizationCodeIssued": "User consented (authorization code)", "DeviceAuthorizationStarted": "Device asked for access",
        "DeviceAuthorizationAnswered": "User answered a device", "GrantRedeemed": "Grant redeemed for tokens",
        "GrantReplayed": "Spent code presented again", "RefreshTokenIssued": "Refresh token issued",
        "RefreshTokenRotated": "Refresh token used", "RefreshTokenReused": "Spent refresh token presented again",
        "ClientRegistered": "App registered", "ClientUpdated": "App changed", "ClientDeleted": "App deleted",
        "GatewayAccessRecorded": "Gateway or clear-auth decision", "AdminCredentialSet": "Admin credential set",
        "CommandRejected": "Request refused", "AuditLogRead": "Audit log read", "CheckpointKeyAdded": "Checkpoint key added",
        "ObpBankCreated": "Bank created", "ObpAccountCreated": "Bank account created", "ObpUserCreated": "User created",
        "EntitlementGranted": "Role granted", "EntitlementRevoked": "Role revoked", "ObpViewSaved": "View saved",
        "ObpViewDeleted": "View deleted", "AccountAccessGranted": "Account access granted",
        "AccountAccessRevoked": "Account access revoked", "AuthorizationChecked": "Authorization checked",
        "DAuthRefused": "DAuth refused",
    ]

    /// Event types whose very occurrence is a refusal or an alarm.
    static let failures: Set<String> = [
        "SpendDenied", "CommandRejected", "GrantReplayed", "RefreshTokenReused", "DAuthRefused",
    ]

    /// The record of one of the ledger's own events. `denied` overrides the type's usual outcome
    /// (a gateway decision that refused). The read of the log itself is `audit-log-read`.
    public static func record(
        type: String, stream: String, metadata: EventMetadata, recordedAtMs: Int64, denied: Bool = false,
        query: String? = nil, readSubject: AuditRecord.Subject? = nil, grant: String? = nil
    ) -> AuditRecord {
        let isRead = type == AuditLogRead.type
        let code = isRead ? "audit-log-read" : type
        let responsible = metadata.onBehalfOf.map { AuditRecord.Person(id: $0, role: "user") }
        let subject =
            readSubject
            ?? metadata.subject.map { AuditRecord.Subject(idType: $0.idType, id: $0.id) }
            ?? metadata.onBehalfOf.map { AuditRecord.Subject(idType: "user", id: $0) }
            ?? AuditRecord.Subject(idType: "ledger-stream", id: stream)
        return AuditRecord(
            recordId: nil, event: AuditRecord.Coding(code: code, system: system, display: displays[type] ?? type),
            action: metadata.action, occurredAt: AuditRecordReader.format(recordedAtMs),
            user: AuditRecord.Person(id: metadata.actor.id, role: metadata.actor.role), responsibleUser: responsible,
            subject: subject,
            authorizationProtocol: grant.map { "grant:" + $0 } ?? authorization(stream: stream, actorRole: metadata.actor.role),
            accessPoint: metadata.source.ip.map { AuditRecord.AccessPoint(type: "ip", id: $0) },
            outcome: denied || failures.contains(type) ? .failure : .success, outcomeReason: nil, emergency: nil,
            purpose: metadata.purpose, data: nil, query: query, requestId: metadata.requestId,
            traceId: metadata.traceId, organization: nil, siteId: nil)
    }

    /// The grant, client or credential that allowed the decision: the stream it belongs to (a
    /// refusal's stream beside its target's; a gateway decision's named after its grant, or after
    /// the client of an outside issuer's clear-auth token). A spend's grant is passed as `grant`.
    static func authorization(stream fullStream: String, actorRole: String) -> String {
        let stream = fullStream.hasSuffix("/rejections") ? String(fullStream.dropLast("/rejections".count)) : fullStream
        if stream.hasPrefix("connection/") { return "grant:" + stream.dropFirst("connection/".count) }
        if stream.hasPrefix("gateway/") {
            let grant = stream.dropFirst("gateway/".count)
            return grant.hasPrefix("clear-auth:") ? String(grant) : "grant:" + grant
        }
        if stream.hasPrefix("client/") { return "client:" + stream.dropFirst("client/".count) }
        if actorRole == "admin" { return "admin-credential" }
        return stream
    }
}
