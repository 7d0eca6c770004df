import Foundation
import GRDB
import LedgerCore

extension Ledger {
    // MARK: Organisations

    public func registerOrganization(_ organization: Organization, _ context: WriteContext) async throws -> Organization {
        try await nutsWrite(
            "RegisterOrganization", OrganizationRegistered.stream(organization.id),
            load: { db in try NutsProjection.organization(id: organization.id, includingRemoved: true, db) },
            decide: { current, _ in OrganizationDecider.register(organization, current: current) }, context)
        return try self.organization(id: organization.id) ?? organization
    }

    public func changeOrganization(id: String, name: String, city: String, _ context: WriteContext) async throws -> Organization {
        try await nutsWrite(
            "ChangeOrganization", OrganizationRegistered.stream(id),
            load: { db in try NutsProjection.organization(id: id, db) },
            decide: { current, _ in OrganizationDecider.change(id: id, name: name, city: city, current: current) }, context)
        guard let organization = try self.organization(id: id) else { throw Rejection(.notFound, "no organization \(id)") }
        return organization
    }

    public func removeOrganization(id: String, _ context: WriteContext) async throws {
        try await nutsWrite(
            "RemoveOrganization", OrganizationRegistered.stream(id),
            load: { db in try NutsProjection.organization(id: id, db) },
            decide: { current, _ in OrganizationDecider.remove(id: id, current: current) }, context)
    }

    public func organization(id: String) throws -> Organization? {
        try readOnCallersThread { db in try NutsProjection.organization(id: id, db) }
    }

    public func organization(name: String, city: String) throws -> Organization? {
        try readOnCallersThread { db in try NutsProjection.organization(name: name, city: city, db) }
    }

    public func organizations(afterId: String?, limit: Int) throws -> [Organization] {
        try readOnCallersThread { db in try NutsProjection.organizations(afterId: afterId, limit: limit, db) }
    }

    // MARK: Signing sessions

    public func startSigningSession(_ session: SigningSession, _ context: WriteContext) async throws {
        try await nutsWrite(
            "StartSigningSession", SigningSessionStarted.stream(session.id), load: { _ in () },
            decide: { _, _ in .success([SigningSessionStarted(session: session)]) }, context)
    }

    /// A status call, decided in the writer so two polls cannot both hand out the presentation.
    public func pollSigningSession(id: String, _ context: WriteContext) async throws
        -> (SigningSessionDecider.StatusAnswer, SigningSession?)
    {
        let answer = AnswerBox<SigningSessionDecider.StatusAnswer>()
        try await nutsWrite(
            "PollSigningSession", SigningSessionStarted.stream(id),
            load: { db in try NutsProjection.signingSession(id: id, db) },
            decide: { session, nowMs in
                let (status, change) = SigningSessionDecider.poll(session, nowMs: nowMs)
                answer.set(status)
                return .success(change.map { [$0] } ?? [])
            }, context)
        return (answer.value ?? .notFound, try signingSession(id: id))
    }

    /// The employeeid page: viewing, accepting or declining.
    public func signingSessionPage(
        id: String, _ action: SigningSessionDecider.PageAction, secretSha256: String?, _ context: WriteContext
    ) async throws -> SigningSession? {
        try await nutsWrite(
            "SigningSessionPage", SigningSessionStarted.stream(id),
            load: { db in try NutsProjection.signingSession(id: id, db) },
            decide: { session, nowMs in
                SigningSessionDecider.page(session, action, secretSha256: secretSha256, nowMs: nowMs).map { change in
                    change.map { [$0] } ?? []
                }
            }, context)
        return try signingSession(id: id)
    }

    public func signingSession(id: String) throws -> SigningSession? {
        try readOnCallersThread { db in try NutsProjection.signingSession(id: id, db) }
    }

    // MARK: Access tokens

    public func issueNutsAccessToken(_ token: NutsAccessToken, _ context: WriteContext) async throws {
        try await nutsWrite(
            "IssueNutsAccessToken", NutsAccessTokenIssued.stream(token.jti), load: { _ in () },
            decide: { _, _ in .success([NutsAccessTokenIssued(token: token)]) }, context)
    }

    public func nutsAccessToken(jti: String) throws -> NutsAccessToken? {
        try readOnCallersThread { db in try NutsProjection.accessToken(jti: jti, db) }
    }

    func nutsWrite<State: Sendable>(
        _ name: String, _ stream: String, load: @escaping @Sendable (Database) throws -> State,
        decide: @escaping @Sendable (State, Int64) -> Result<[any DomainEvent], Rejection>, _ context: WriteContext
    ) async throws {
        if case .rejected(let rejection, _) = try await write(name, stream, load: load, decide: decide, context) {
            throw rejection
        }
    }
}
