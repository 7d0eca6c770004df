import Foundation

/// Who signs: the attributes a means vouches for (the dummy means' fixed ones, or an employer's
/// for its employee). Field names follow the Nuts token claims.
public struct SignerIdentity: Codable, Sendable, Equatable {
    public var initials: String
    public var prefix: String
    public var familyName: String
    public var email: String
    /// The unique id of the user ("'username' should be used as unique identifier for the user").
    public var username: String
    public var role: String
    public var assuranceLevel: String

    public init(
        initials: String, prefix: String = "", familyName: String, email: String = "", username: String, role: String = "",
        assuranceLevel: String = "low"
    ) {
        self.initials = initials
        self.prefix = prefix
        self.familyName = familyName
        self.email = email
        self.username = username
        self.role = role
        self.assuranceLevel = assuranceLevel
    }

    /// The dummy means' fixed attributes, as the Nuts node's dummy means signs them, plus a role
    /// (the node's has none; the issue asks for one, and a NEN 7513 record needs a role).
    public static let dummy = SignerIdentity(
        initials: "I", prefix: "von", familyName: "Dummy", email: "tester@example.com", username: "tester@example.com",
        role: "Tester")

    /// "I. von Dummy": the name a NEN 7513 record shows.
    public var displayName: String {
        [initials, prefix, familyName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey {
        case initials, prefix
        case familyName = "family_name"
        case email, username, role
        case assuranceLevel = "assurance_level"
    }
}

/// A practitioner's signing of a login contract, with one means.
public struct SigningSession: Codable, Sendable, Equatable {
    public enum Means: String, Codable, Sendable, CaseIterable {
        case dummy, employeeid
    }

    public enum Status: String, Codable, Sendable {
        case created
        case inProgress = "in-progress"
        case completed
        case vpRequested = "vp-requested"
        case cancelled, errored, expired
    }

    public var id: String
    public var means: Means
    /// The contract text exactly as drawn up (the node's `payload`).
    public var contract: String
    public var legalEntity: String
    public var signer: SignerIdentity
    /// SHA-256 (hex) of the employeeid page's secret; nil for the dummy means.
    public var secretSha256: String?
    public var status: Status
    public var createdAtMs: Int64
    public var expiresAtMs: Int64

    public init(
        id: String, means: Means, contract: String, legalEntity: String, signer: SignerIdentity, secretSha256: String?,
        status: Status = .created, createdAtMs: Int64, expiresAtMs: Int64
    ) {
        self.id = id
        self.means = means
        self.contract = contract
        self.legalEntity = legalEntity
        self.signer = signer
        self.secretSha256 = secretSha256
        self.status = status
        self.createdAtMs = createdAtMs
        self.expiresAtMs = expiresAtMs
    }

    enum CodingKeys: String, CodingKey {
        case id, means, contract
        case legalEntity = "legal_entity"
        case signer
        case secretSha256 = "secret_sha256"
        case status
        case createdAtMs = "created_at_ms"
        case expiresAtMs = "expires_at_ms"
    }
}

/// How a session moves. The dummy means advances on every status call, as the node's does
/// (each call answers the state it finds, then moves it on: created, in-progress, completed with
/// the presentation, then not found); the employeeid
/// means advances on its page (viewed → in-progress; accepted → completed; declined → cancelled;
/// a wrong secret → errored) and a completed session hands out its presentation once
/// (→ vp-requested). Past its expiry an open session is expired.
public enum SigningSessionDecider {
    public enum StatusAnswer: Sendable, Equatable {
        /// The status to report; `presentation` when this call hands out the signed presentation.
        case status(SigningSession.Status, presentation: Bool)
        case notFound
    }

    static let open: Set<SigningSession.Status> = [.created, .inProgress]

    /// A status call: what to answer, and the change to record (if any).
    public static func poll(_ session: SigningSession?, nowMs: Int64) -> (StatusAnswer, SigningSessionChanged?) {
        guard let session else { return (.notFound, nil) }
        if open.contains(session.status), nowMs > session.expiresAtMs {
            return (.status(.expired, presentation: false), change(session, .expired, nowMs))
        }
        switch (session.means, session.status) {
        case (.dummy, .created): return (.status(.created, presentation: false), change(session, .inProgress, nowMs))
        case (.dummy, .inProgress): return (.status(.inProgress, presentation: false), change(session, .completed, nowMs))
        case (.dummy, .completed): return (.status(.completed, presentation: true), change(session, .vpRequested, nowMs))
        case (.employeeid, .completed): return (.status(.completed, presentation: true), change(session, .vpRequested, nowMs))
        case (.dummy, .vpRequested): return (.notFound, nil)
        default: return (.status(session.status, presentation: false), nil)
        }
    }

    public enum PageAction: Sendable, Equatable { case view, accept, decline }

    /// The employeeid page: viewing starts the session, a decision with the right secret ends it.
    public static func page(
        _ session: SigningSession?, _ action: PageAction, secretSha256: String?, nowMs: Int64
    ) -> Result<SigningSessionChanged?, Rejection> {
        guard let session, session.means == .employeeid else { return .failure(Rejection(.notFound, "session not found")) }
        if open.contains(session.status), nowMs > session.expiresAtMs {
            return .success(change(session, .expired, nowMs))
        }
        switch action {
        case .view:
            return .success(session.status == .created ? change(session, .inProgress, nowMs) : nil)
        case .accept, .decline:
            guard session.status == .inProgress else {
                return .failure(Rejection(.invalidState, "no session with status in-progress found"))
            }
            guard let secretSha256, secretSha256 == session.secretSha256 else {
                return .success(change(session, .errored, nowMs))
            }
            return .success(change(session, action == .accept ? .completed : .cancelled, nowMs))
        }
    }

    static func change(_ session: SigningSession, _ status: SigningSession.Status, _ nowMs: Int64) -> SigningSessionChanged {
        SigningSessionChanged(sessionId: session.id, status: status, atMs: nowMs)
    }

    public static func evolve(_ current: SigningSession?, _ event: any DomainEvent) -> SigningSession? {
        switch event {
        case let started as SigningSessionStarted: return started.session
        case let changed as SigningSessionChanged:
            guard var next = current else { return nil }
            next.status = changed.status
            return next
        default: return current
        }
    }
}
