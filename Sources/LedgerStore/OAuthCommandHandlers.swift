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

/// The OAuth grant commands. Each loads its rows by primary key and asks `GrantDecider`; all of a
/// grant's events go to the stream of the connection it becomes.
public enum GrantCommand: Sendable {
    case issueCode(IssueAuthorizationCode)
    case startDevice(StartDeviceAuthorization)
    case answerDevice(AnswerDeviceAuthorization)
    case redeem(RedeemGrant)
    case refresh(RefreshGrant)
    case issueClientToken(IssueClientToken)
    case revokeAccessToken(RevokeAccessToken)
}

public struct GrantCommandHandler: LedgerCommand {
    public let command: GrantCommand

    public init(_ command: GrantCommand) { self.command = command }

    public var name: String {
        switch command {
        case .issueCode: "IssueAuthorizationCode"
        case .startDevice: "StartDeviceAuthorization"
        case .answerDevice: "AnswerDeviceAuthorization"
        case .redeem: "RedeemGrant"
        case .refresh: "RefreshGrant"
        case .issueClientToken: "IssueClientToken"
        case .revokeAccessToken: "RevokeAccessToken"
        }
    }

    public var stream: String {
        switch command {
        case .issueCode(let c): Connection.stream(c.connectionId)
        case .startDevice(let c): Connection.stream(c.connectionId)
        case .answerDevice(let c): Connection.stream(c.connectionId)
        case .redeem(let c): Connection.stream(c.connectionId)
        case .refresh(let c): Connection.stream(c.connectionId)
        case .issueClientToken(let c): Connection.stream(ClientCredentials.connectionId(clientId: c.clientId))
        case .revokeAccessToken(let c): Connection.stream(c.connectionId)
        }
    }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        switch command {
        case .issueCode(let c):
            return GrantDecider.issueCode(
                c, client: try ClientsProjection.fetch(id: c.clientId, db),
                existing: try OAuthCodesProjection.fetch(codeSha256: c.codeSha256, db), nowMs: nowMs)
        case .startDevice(let c):
            return GrantDecider.startDevice(
                c, client: try ClientsProjection.fetch(id: c.clientId, db),
                existing: try OAuthCodesProjection.fetch(codeSha256: c.deviceCodeSha256, db), nowMs: nowMs)
        case .answerDevice(let c):
            return GrantDecider.answerDevice(
                c, pending: try OAuthCodesProjection.fetch(codeSha256: c.deviceCodeSha256, db), nowMs: nowMs)
        case .redeem(let c):
            let pending = try OAuthCodesProjection.fetch(codeSha256: c.codeSha256, db)
            guard let pending, pending.connectionId == c.connectionId else {
                return .failure(Rejection(.invalidGrant, "the code is not known"))
            }
            return GrantDecider.redeem(
                c, pending: pending, client: try ClientsProjection.fetch(id: pending.clientId, db),
                connection: try ConnectionsProjection.fetch(id: pending.connectionId, db), nowMs: nowMs)
        case .refresh(let c):
            let token = try RefreshTokensProjection.fetch(tokenSha256: c.tokenSha256, db)
            guard let token, token.connectionId == c.connectionId else {
                return .failure(Rejection(.invalidGrant, "the refresh token is not known"))
            }
            return GrantDecider.refresh(
                c, token: token, client: try ClientsProjection.fetch(id: token.clientId, db),
                connection: try ConnectionsProjection.fetch(id: token.connectionId, db), nowMs: nowMs)
        case .issueClientToken(let c):
            return GrantDecider.issueClientToken(
                c, client: try ClientsProjection.fetch(id: c.clientId, db),
                connection: try ConnectionsProjection.fetch(
                    id: ClientCredentials.connectionId(clientId: c.clientId), db), nowMs: nowMs)
        case .revokeAccessToken(let c):
            guard let token = try TokensProjection.fetch(jti: c.jti, db), token.connectionId == c.connectionId else {
                return .failure(Rejection(.notFound, "no token with this jti"))
            }
            return .success(GrantDecider.revokeAccessToken(c, alreadyRevoked: token.revokedAtMs != nil, nowMs: nowMs))
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
