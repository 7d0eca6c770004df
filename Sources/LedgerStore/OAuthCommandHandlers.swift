import GRDB
import LedgerCore

public struct ClientCommandHandler: LedgerCommand {
    public let command: ClientCommand

    public init(_ command: ClientCommand) { self.command = command }

    public var name: String { command.name }
    public var stream: String { OAuthClient.stream(command.clientId) }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        let state = try ClientsProjection.fetch(id: command.clientId, db)
        return ClientDecider.decide(state, command, nowMs: nowMs).map { $0.map(\.domainEvent) }
    }
}

/// Runs a grant command in the writer: loads the `GrantState` it needs by primary key (the client,
/// the code or refresh token presented, the connection, the access token) and asks `GrantDecider`.
public struct GrantCommandHandler: LedgerCommand {
    public let command: GrantCommand

    public init(_ command: GrantCommand) { self.command = command }

    public var name: String { command.name }
    public var stream: String { command.stream }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        try GrantDecider.decide(Self.state(for: command, db), command, nowMs: nowMs).map { $0.map(\.domainEvent) }
    }

    static func state(for command: GrantCommand, _ db: Database) throws -> GrantState {
        switch command {
        case .issueCode(let c):
            return GrantState(
                client: try ClientsProjection.fetch(id: c.clientId, db),
                pending: try OAuthCodesProjection.fetch(codeSha256: c.codeSha256, db))
        case .startDevice(let c):
            return GrantState(
                client: try ClientsProjection.fetch(id: c.clientId, db),
                pending: try OAuthCodesProjection.fetch(codeSha256: c.deviceCodeSha256, db))
        case .answerDevice(let c):
            return GrantState(pending: try OAuthCodesProjection.fetch(codeSha256: c.deviceCodeSha256, db))
        case .redeem(let c):
            let pending = try OAuthCodesProjection.fetch(codeSha256: c.codeSha256, db)
            return GrantState(
                client: try pending.flatMap { try ClientsProjection.fetch(id: $0.clientId, db) }, pending: pending,
                connection: try pending.flatMap { try ConnectionsProjection.fetch(id: $0.connectionId, db) })
        case .refresh(let c):
            let token = try RefreshTokensProjection.fetch(tokenSha256: c.tokenSha256, db)
            return GrantState(
                client: try token.flatMap { try ClientsProjection.fetch(id: $0.clientId, db) }, refreshToken: token,
                connection: try token.flatMap { try ConnectionsProjection.fetch(id: $0.connectionId, db) })
        case .issueClientToken(let c):
            return GrantState(
                client: try ClientsProjection.fetch(id: c.clientId, db),
                connection: try ConnectionsProjection.fetch(id: ClientCredentials.connectionId(clientId: c.clientId), db))
        case .revokeAccessToken(let c):
            let token = try TokensProjection.fetch(jti: c.jti, db)
            return GrantState(
                accessToken: token.map {
                    AccessTokenState(jti: $0.jti, connectionId: $0.connectionId, revoked: $0.revokedAtMs != nil)
                })
        }
    }
}

/// Records one gateway decision; nothing to decide beyond what the gateway already checked.
public struct RecordGatewayAccess: LedgerCommand {
    public let event: GatewayAccessRecorded

    public init(_ event: GatewayAccessRecorded) { self.event = event }

    public var name: String { "RecordGatewayAccess" }
    public var stream: String { GatewayAccessRecorded.stream(event.connectionId) }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        var event = self.event
        event.atMs = nowMs
        return .success([event])
    }
}
