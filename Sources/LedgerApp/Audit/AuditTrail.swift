import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// Who reads or writes the trail: a resource server's access token (its client), or the admin.
package struct AuditCaller: Sendable, Equatable {
    package var id: String
    package var role: String
    package var scopes: Set<String>

    package static let admin = AuditCaller(id: "admin", role: "admin", scopes: [AuditScope.read, AuditScope.write])
}

/// Why the trail will not answer this caller: no valid credential, or one without the scope.
package struct AuditRefusal: Error, Sendable, Equatable {
    package enum Status: Sendable { case unauthorized, forbidden }
    package var status: Status
    package var message: String
}

/// The scopes of the audit surface, for resource servers registered as OAuth clients.
package enum AuditScope {
    package static let write = "audit:write"
    package static let read = "audit:read"
}

/// A page of records and the cursor to the next one (nil when this was the last).
package struct AuditPage: Sendable {
    package var rows: [AuditRow]
    package var nextCursor: String?
}

/// The NEN 7513 trail's use cases: resource servers report accesses, readers query them, and
/// every read is itself recorded before it is answered.
package struct AuditTrail: Sendable {
    package let ledger: Ledger
    package let tokens: AccessTokenCheck
    package let admin: AdminCredentialDigest
    package static let pageSizeMax = 500

    /// The operator's login system, whose user JWTs let a subject read their own overview.
    package let users: TrustedIssuers?
    package let settings: AuditSettings

    package init(
        ledger: Ledger, tokens: AccessTokenCheck, admin: AdminCredentialDigest, users: TrustedIssuers? = nil,
        settings: AuditSettings = AuditSettings()
    ) {
        self.ledger = ledger
        self.tokens = tokens
        self.admin = admin
        self.users = users
        self.settings = settings
    }

    /// The admin credential, or an access token granted `scope`.
    package func caller(bearer: String?, needs scope: String) async throws -> AuditCaller {
        do {
            let caller = try await ScopedAccess(tokens: tokens, admin: admin).caller(bearer: bearer, needs: scope)
            if caller.isAdmin { return .admin }
            return AuditCaller(id: caller.clientId, role: "app", scopes: caller.scopes)
        } catch {
            throw AuditRefusal(status: error.status == .unauthorized ? .unauthorized : .forbidden, message: error.message)
        }
    }

    /// Who may read the subject's overview (NEN 7513 ch. 9): a reader with `audit:read`, the
    /// admin, or the subject themself with the operator's user JWT, when its `sub` is the subject
    /// as a user of the ledger (`user/<sub>`) or `--audit-subject-claim` names them.
    package func overviewCaller(bearer: String?, subject: AuditRecord.Subject) async throws -> AuditCaller {
        let credentialRefusal: AuditRefusal
        do {
            return try await caller(bearer: bearer, needs: AuditScope.read)
        } catch let refusal as AuditRefusal where refusal.status == .unauthorized {
            credentialRefusal = refusal
        }
        // Not the admin's nor an access token: perhaps the subject's own user token.
        guard let bearer else {
            throw AuditRefusal(
                status: .unauthorized,
                message: "send the admin credential, an access token with \(AuditScope.read), or the subject's own user token")
        }
        guard let users, let user = try? await users.verify(bearer, now: ledger.clock()) else { throw credentialRefusal }
        let isOwn =
            (subject.idType == "user" && subject.id == user.subject)
            || (settings.subjectClaim.map { claim in
                subject.idType == settings.subjectIdType && TrustedIssuers.claim(claim, of: bearer) == subject.id
            } ?? false)
        guard isOwn else {
            throw AuditRefusal(status: .forbidden, message: "a user token reads only its own user's overview")
        }
        return AuditCaller(id: "user:\(user.subject)", role: "user", scopes: [])
    }

    /// `POST /audit/access`: one record, or `{"records": [...]}` of up to 1,000. Every record is
    /// checked before anything is written; the first bad field is named by its path.
    package func report(_ body: JSONValue, by caller: AuditCaller, _ source: RequestSource) async throws -> [String] {
        let values: [(JSONValue, String)]
        if case .object(let members) = body, let batch = members["records"] {
            guard case .array(let items) = batch else {
                throw ValidationError(field: "records", reason: "must be an array of records")
            }
            guard !items.isEmpty, items.count <= ReportAccesses.recordsMax else {
                throw ValidationError(field: "records", reason: "must hold 1 to \(ReportAccesses.recordsMax) records")
            }
            values = items.enumerated().map { ($1, "records[\($0)].") }
        } else {
            values = [(body, "")]
        }
        var records: [(id: String, record: AuditRecord)] = []
        for (value, path) in values {
            let completed = try completeFromNutsToken(value, path: path)
            records.append((Identifiers.make(now: ledger.clock()), try AuditRecordReader.read(completed, path: path)))
        }
        let metadata = source.metadata(
            actor: .init(id: caller.id, role: caller.role), action: .create, subjectUserId: nil)
        return try await ledger.reportAccesses(
            ReportAccesses(sourceId: caller.id, records: records), WriteContext(metadata))
    }

    static let nutsTokenProtocol = "nuts-access-token:"

    /// A record made with a Nuts access token (`authorization_protocol`
    /// `nuts-access-token:<jti>`) is completed from that token: the practitioner as `user`, the
    /// organisation they act for as `organization`, the signed contract as the protocol. The token
    /// is the authority for these, so it wins over what the reporter wrote.
    func completeFromNutsToken(_ value: JSONValue, path: String) throws -> JSONValue {
        guard case .object(var members) = value, case .string(let protocolText) = members["authorization_protocol"],
            protocolText.hasPrefix(Self.nutsTokenProtocol)
        else { return value }
        let jti = String(protocolText.dropFirst(Self.nutsTokenProtocol.count))
        guard (1...128).contains(jti.utf8.count), let token = try ledger.nutsAccessToken(jti: jti) else {
            throw ValidationError(
                field: path + "authorization_protocol", reason: "names no Nuts access token this ledger issued")
        }
        var user: [String: JSONValue] = [
            "id": .string(token.signer.username), "role": .string(token.signer.role.isEmpty ? "employee" : token.signer.role),
        ]
        if !token.signer.displayName.isEmpty { user["name"] = .string(token.signer.displayName) }
        members["user"] = .object(user)
        var organization: [String: JSONValue] = ["id": .string(token.requester)]
        if let registered = try ledger.organization(id: token.requester) { organization["name"] = .string(registered.name) }
        members["organization"] = .object(organization)
        members["authorization_protocol"] = .string(token.contract)
        return .object(members)
    }

    /// The longest text a filter takes (a subject's id or its type, a user's id, an event code).
    /// A query is recorded with its subject, and the trail's ids are 1 to 1,024 bytes.
    package static let filterTextBytesMax = 256

    /// Refuses a filter with an empty or overlong text, or one with a control character (a
    /// reported record may hold none but a tab), before anything is read or recorded.
    package static func check(_ filter: AuditFilter) throws(ValidationError) {
        let texts = [
            ("subject_id", filter.subjectId), ("subject_id_type", filter.subjectIdType), ("user_id", filter.userId),
            ("event_code", filter.eventCode),
        ]
        for case let (field, text?) in texts {
            guard (1...filterTextBytesMax).contains(text.utf8.count) else {
                throw ValidationError(field: field, reason: "must be 1 to \(filterTextBytesMax) bytes")
            }
            guard !AuditRecordReader.hasControlCharacter(text) else {
                throw ValidationError(field: field, reason: "must not contain control characters")
            }
        }
    }

    /// The subject a read of this record is recorded with: the record's own, unless it is one a
    /// reported record could not hold (an earlier build recorded FHIR searches for `patient=`
    /// with an empty id), which is left out rather than copied into another record.
    static func readSubject(of subject: AuditRecord.Subject) -> AuditRecord.Subject? {
        let valid = { (text: String) in
            (1...AuditRecordReader.textBytesMax).contains(text.utf8.count) && !AuditRecordReader.hasControlCharacter(text)
        }
        return valid(subject.id) && valid(subject.idType) ? subject : nil
    }

    /// `GET /audit/events`: a page of records after the cursor. The read is recorded first
    /// (`audit-log-read`), so it shows in the very log it read.
    package func events(
        _ filter: AuditFilter, cursor: String?, limit: Int, query: String, by caller: AuditCaller,
        _ source: RequestSource
    ) async throws -> AuditPage {
        try Self.check(filter)
        let afterSeq = try Self.seq(ofCursor: cursor)
        let limit = min(max(limit, 1), Self.pageSizeMax)
        var rows = try ledger.auditRecords(filter, afterSeq: afterSeq, limit: limit + 1)
        let more = rows.count > limit
        if more { rows.removeLast() }
        let subject = filter.subjectId.map { AuditRecord.Subject(idType: filter.subjectIdType ?? "any", id: $0) }
        try await ledger.recordAuditRead(
            AuditLogRead(query: String(query.prefix(1024)), subject: subject, count: rows.count, readAtMs: ledger.nowMs),
            WriteContext(
                source.metadata(actor: .init(id: caller.id, role: caller.role), action: .read, subjectUserId: nil)))
        return AuditPage(rows: rows, nextCursor: more ? rows.last.map { Self.cursor(afterSeq: $0.seq) } : nil)
    }

    /// One record by id; the read is recorded too.
    package func record(id: String, by caller: AuditCaller, _ source: RequestSource) async throws -> AuditRow? {
        let row = try ledger.auditRecord(id: id)
        try await ledger.recordAuditRead(
            AuditLogRead(
                query: "id=\(id)", subject: try row.flatMap { Self.readSubject(of: try $0.record().subject) },
                count: row == nil ? 0 : 1, readAtMs: ledger.nowMs),
            WriteContext(
                source.metadata(actor: .init(id: caller.id, role: caller.role), action: .read, subjectUserId: nil)))
        return row
    }

    /// Opaque to clients: today the last seq of the page, base64url.
    package static func cursor(afterSeq seq: Int64) -> String { Base64URL.encode(Data("s:\(seq)".utf8)) }

    package static func seq(ofCursor cursor: String?) throws(ValidationError) -> Int64 {
        guard let cursor else { return 0 }
        guard cursor.utf8.count <= 64, let data = Base64URL.decode(cursor),
            let text = String(data: data, encoding: .utf8), text.hasPrefix("s:"), let seq = Int64(text.dropFirst(2)),
            seq >= 0
        else { throw ValidationError(field: "cursor", reason: "is not a cursor this server gave out") }
        return seq
    }
}
