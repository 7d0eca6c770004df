import Testing

@testable import LedgerCore

/// `GrantDecider` as precedence tables: one row per rule, in the order the decider checks them.
/// Each row keeps every earlier rule satisfied, breaks its own (and, where the state allows, later
/// ones too), so only the first failing check may answer.
@Suite struct GrantDeciderTests {
    static let t0: Int64 = 1_800_000_000_000
    static let access = AccessTokenGrant(jti: "jti-1", expiresAtSec: t0 / 1000 + 600)
    static let refreshGrant = RefreshTokenGrant(tokenSha256: "r-new", expiresAtMs: t0 + 86_400_000)

    static func client(id: String = "app", isPublic: Bool = false, status: OAuthClient.Status = .active)
        -> OAuthClient
    {
        OAuthClient(
            id: id, name: "App", url: nil, imageUrl: nil, redirectUris: ["https://app.example/cb"], isPublic: isPublic,
            scopes: ["balance:read", "payments:send"], secretSha256: isPublic ? nil : "digest", status: status,
            createdAtMs: t0, updatedAtMs: t0, version: 1)
    }

    static func code(
        kind: PendingGrant.Kind = .authorizationCode, clientId: String = "app", status: PendingGrant.Status = .approved,
        challenge: String? = "challenge", explicitRedirect: Bool = true, expiresAtMs: Int64 = t0 + 60_000,
        userId: String? = "alice"
    ) -> PendingGrant {
        PendingGrant(
            codeSha256: "code", kind: kind, connectionId: "c1", clientId: clientId, userId: userId,
            redirectUri: kind == .authorizationCode ? "https://app.example/cb" : nil,
            redirectUriExplicit: explicitRedirect, scopes: ["balance:read"], codeChallengeS256: challenge,
            accessTokenLifetimeSec: 600, budget: nil, userCodeSha256: kind == .deviceCode ? "user-code" : nil,
            intervalSec: kind == .deviceCode ? 5 : nil, status: status, issuedAtMs: t0, expiresAtMs: expiresAtMs)
    }

    static func connection(status: Connection.Status = .active, id: String = "c1") -> Connection {
        Connection(
            id: id, userId: "alice", name: "App", scopes: ["balance:read"], budget: nil, expiresAtSec: nil,
            status: status, createdAtMs: t0, updatedAtMs: t0, revokedAtMs: nil, version: 1, clientId: "app")
    }

    static func redeem(
        kind: PendingGrant.Kind = .authorizationCode, clientId: String = "app",
        redirectUri: String? = "https://app.example/cb", verifier: String? = "challenge"
    ) -> GrantCommand {
        .redeem(
            RedeemGrant(
                codeSha256: "code", connectionId: "c1", clientId: clientId, kind: kind, redirectUri: redirectUri,
                verifierS256: verifier, access: access, refresh: refreshGrant))
    }

    /// The outcome as one comparable line: the rejection code, or the event kinds in order.
    static func outcome(_ result: Result<[GrantEvent], Rejection>) -> String {
        switch result {
        case .failure(let rejection): return "rejected \(rejection.code.rawValue)"
        case .success(let events):
            return events.map { event -> String in
                switch event {
                case .codeIssued: "codeIssued"
                case .deviceStarted: "deviceStarted"
                case .deviceAnswered: "deviceAnswered"
                case .redeemed: "redeemed"
                case .replayed: "replayed"
                case .refreshIssued: "refreshIssued"
                case .refreshRotated: "refreshRotated"
                case .refreshReused: "refreshReused"
                case .tokenRevoked: "tokenRevoked"
                case .connection(.granted): "connectionGranted"
                case .connection(.updated): "connectionUpdated"
                case .connection(.revoked): "connectionRevoked"
                case .connection(.tokenIssued): "tokenIssued"
                }
            }.joined(separator: ",")
        }
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var rule: String
        var state: GrantState
        var command: GrantCommand
        var expected: String
        var testDescription: String { rule }
    }

    // MARK: Redeeming a code (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 8628 §3.4)

    static let redeemRules: [Row] = [
        Row(
            rule: "the code is not known", state: GrantState(client: client()), command: redeem(),
            expected: "rejected invalid_grant"),
        Row(
            rule: "a code of the other kind", state: GrantState(client: client(), pending: code(kind: .deviceCode)),
            command: redeem(), expected: "rejected invalid_grant"),
        Row(
            rule: "issued to another client", state: GrantState(client: client(), pending: code(clientId: "other")),
            command: redeem(), expected: "rejected invalid_grant"),
        Row(
            rule: "the client was deleted",
            state: GrantState(client: client(status: .deleted), pending: code(status: .redeemed)), command: redeem(),
            expected: "rejected invalid_grant"),
        Row(
            rule: "a spent code comes back: recorded, and what it issued revoked",
            state: GrantState(client: client(), pending: code(status: .redeemed, expiresAtMs: t0), connection: connection()),
            command: redeem(redirectUri: "https://evil.example"), expected: "replayed,connectionRevoked"),
        Row(
            rule: "a spent code whose grant is already revoked",
            state: GrantState(client: client(), pending: code(status: .redeemed), connection: connection(status: .revoked)),
            command: redeem(), expected: "replayed"),
        Row(
            rule: "the code has expired",
            state: GrantState(client: client(), pending: code(kind: .deviceCode, status: .pending, expiresAtMs: t0)),
            command: redeem(kind: .deviceCode), expected: "rejected expired"),
        Row(
            rule: "the device's user has not answered",
            state: GrantState(client: client(), pending: code(kind: .deviceCode, status: .pending)),
            command: redeem(kind: .deviceCode), expected: "rejected authorization_pending"),
        Row(
            rule: "the device's user said no",
            state: GrantState(client: client(), pending: code(kind: .deviceCode, status: .denied)),
            command: redeem(kind: .deviceCode), expected: "rejected access_denied"),
        Row(
            rule: "redirect_uri differs", state: GrantState(client: client(), pending: code(), connection: connection()),
            command: redeem(redirectUri: "https://evil.example", verifier: "wrong"), expected: "rejected invalid_grant"),
        Row(
            rule: "redirect_uri missing when the request named one",
            state: GrantState(client: client(), pending: code(), connection: connection()),
            command: redeem(redirectUri: nil, verifier: "wrong"), expected: "rejected invalid_grant"),
        Row(
            rule: "code_verifier does not match", state: GrantState(client: client(), pending: code()),
            command: redeem(verifier: "wrong"), expected: "rejected invalid_grant"),
        Row(
            rule: "code_verifier missing for a challenge", state: GrantState(client: client(), pending: code()),
            command: redeem(verifier: nil), expected: "rejected invalid_grant"),
        Row(
            rule: "code_verifier without a challenge", state: GrantState(client: client(), pending: code(challenge: nil)),
            command: redeem(verifier: "x"), expected: "rejected invalid_grant"),
        Row(
            rule: "the grant already exists",
            state: GrantState(client: client(), pending: code(), connection: connection()), command: redeem(),
            expected: "rejected invalid_grant"),
        Row(
            rule: "everything holds: the code becomes a connection with its tokens",
            state: GrantState(client: client(), pending: code()), command: redeem(),
            expected: "redeemed,connectionGranted,tokenIssued,refreshIssued"),
        Row(
            rule: "an approved device code needs no redirect or verifier",
            state: GrantState(client: client(), pending: code(kind: .deviceCode, challenge: nil)),
            command: redeem(kind: .deviceCode, redirectUri: nil, verifier: nil),
            expected: "redeemed,connectionGranted,tokenIssued,refreshIssued"),
    ]

    @Test(arguments: redeemRules)
    func redeemingACodeAnswersTheFirstBrokenRule(_ row: Row) {
        #expect(Self.outcome(GrantDecider.decide(row.state, row.command, nowMs: Self.t0)) == row.expected)
    }

    // MARK: Refreshing (RFC 6749 §6, with reuse detection)

    static func refreshToken(
        status: RefreshTokenState.Status = .active, clientId: String = "app", expiresAtMs: Int64 = t0 + 1_000
    ) -> RefreshTokenState {
        RefreshTokenState(
            tokenSha256: "r-old", connectionId: "c1", clientId: clientId, userId: "alice", scopes: ["balance:read"],
            status: status, issuedAtMs: t0, expiresAtMs: expiresAtMs)
    }

    static func refresh(clientId: String = "app", scopes: [String]? = nil) -> GrantCommand {
        .refresh(
            RefreshGrant(
                tokenSha256: "r-old", connectionId: "c1", clientId: clientId, scopes: scopes, access: access,
                refresh: refreshGrant))
    }

    static let refreshRules: [Row] = [
        Row(rule: "the token is not known", state: GrantState(), command: refresh(), expected: "rejected invalid_grant"),
        Row(
            rule: "issued to another client",
            state: GrantState(refreshToken: refreshToken(status: .rotated, clientId: "other")), command: refresh(),
            expected: "rejected invalid_grant"),
        Row(
            rule: "a rotated token comes back: recorded, and the family revoked",
            state: GrantState(
                client: client(status: .deleted), refreshToken: refreshToken(status: .rotated, expiresAtMs: t0),
                connection: connection()),
            command: refresh(scopes: ["everything"]), expected: "refreshReused,connectionRevoked"),
        Row(
            rule: "the token was revoked",
            state: GrantState(refreshToken: refreshToken(status: .revoked, expiresAtMs: t0)), command: refresh(),
            expected: "rejected invalid_grant"),
        Row(
            rule: "the token has expired",
            state: GrantState(client: client(status: .deleted), refreshToken: refreshToken(expiresAtMs: t0)),
            command: refresh(), expected: "rejected invalid_grant"),
        Row(
            rule: "the client was deleted",
            state: GrantState(client: client(status: .deleted), refreshToken: refreshToken()), command: refresh(),
            expected: "rejected invalid_grant"),
        Row(
            rule: "the grant was revoked",
            state: GrantState(client: client(), refreshToken: refreshToken(), connection: connection(status: .revoked)),
            command: refresh(scopes: ["everything"]), expected: "rejected invalid_grant"),
        Row(
            rule: "a wider scope than the grant's",
            state: GrantState(client: client(), refreshToken: refreshToken(), connection: connection()),
            command: refresh(scopes: ["payments:send"]), expected: "rejected invalid_scope"),
        Row(
            rule: "everything holds: rotation",
            state: GrantState(client: client(), refreshToken: refreshToken(), connection: connection()),
            command: refresh(), expected: "refreshRotated,tokenIssued,refreshIssued"),
    ]

    @Test(arguments: refreshRules)
    func refreshingAnswersTheFirstBrokenRule(_ row: Row) {
        #expect(Self.outcome(GrantDecider.decide(row.state, row.command, nowMs: Self.t0)) == row.expected)
    }

    // MARK: Issuing codes, device answers, client credentials, revocation

    static func issueCode(scopes: [String] = ["balance:read"]) -> GrantCommand {
        .issueCode(
            IssueAuthorizationCode(
                codeSha256: "code", connectionId: "c1", clientId: "app", userId: "alice",
                redirectUri: "https://app.example/cb", redirectUriExplicit: true, scopes: scopes,
                codeChallengeS256: "challenge", codeChallengeMethod: "S256", accessTokenLifetimeSec: 600, budget: nil,
                expiresAtMs: t0 + 60_000))
    }

    static func answer(approved: Bool = true) -> GrantCommand {
        .answerDevice(
            AnswerDeviceAuthorization(
                deviceCodeSha256: "code", connectionId: "c1", userId: "bob", approved: approved,
                budget: BudgetDefinition(amount: 5)))
    }

    static func clientToken(scopes: [String] = ["balance:read"]) -> GrantCommand {
        .issueClientToken(IssueClientToken(clientId: "app", scopes: scopes, access: access, budget: nil))
    }

    static let revoke = GrantCommand.revokeAccessToken(RevokeAccessToken(jti: "j", connectionId: "c1", reason: "done"))

    static let otherRules: [Row] = [
        Row(rule: "code for an unknown client", state: GrantState(pending: code()), command: issueCode(),
            expected: "rejected invalid_grant"),
        Row(
            rule: "code issued twice", state: GrantState(client: client(), pending: code()),
            command: issueCode(scopes: ["everything"]), expected: "rejected already_exists"),
        Row(
            rule: "code beyond the client's scopes", state: GrantState(client: client()),
            command: issueCode(scopes: ["everything"]), expected: "rejected invalid_scope"),
        Row(rule: "code issued", state: GrantState(client: client()), command: issueCode(), expected: "codeIssued"),
        Row(rule: "answer to an unknown device code", state: GrantState(pending: code()), command: answer(),
            expected: "rejected not_found"),
        Row(
            rule: "answer after the device code expired",
            state: GrantState(pending: code(kind: .deviceCode, status: .approved, expiresAtMs: t0)), command: answer(),
            expected: "rejected expired"),
        Row(
            rule: "a second answer", state: GrantState(pending: code(kind: .deviceCode, status: .denied)),
            command: answer(), expected: "rejected invalid_state"),
        Row(
            rule: "a yes", state: GrantState(pending: code(kind: .deviceCode, status: .pending)), command: answer(),
            expected: "deviceAnswered"),
        Row(
            rule: "client credentials for an unknown client", state: GrantState(connection: connection()),
            command: clientToken(scopes: ["everything"]), expected: "rejected invalid_grant"),
        Row(
            rule: "client credentials for a public client", state: GrantState(client: client(isPublic: true)),
            command: clientToken(scopes: ["everything"]), expected: "rejected unauthorized_client"),
        Row(
            rule: "client credentials beyond the client's scopes", state: GrantState(client: client()),
            command: clientToken(scopes: ["everything"]), expected: "rejected invalid_scope"),
        Row(
            rule: "client credentials after the client's grant was revoked",
            state: GrantState(client: client(), connection: connection(status: .revoked, id: "cc-app")),
            command: clientToken(), expected: "rejected unauthorized_client"),
        Row(
            rule: "the first client-credentials token grants the client's own connection",
            state: GrantState(client: client()), command: clientToken(), expected: "connectionGranted,tokenIssued"),
        Row(
            rule: "a later one widens its scopes when asked",
            state: GrantState(client: client(), connection: connection(id: "cc-app")),
            command: clientToken(scopes: ["payments:send"]), expected: "connectionUpdated,tokenIssued"),
        Row(rule: "revoking an unknown token", state: GrantState(), command: revoke, expected: "rejected not_found"),
        Row(
            rule: "revoking a token of another grant",
            state: GrantState(accessToken: AccessTokenState(jti: "j", connectionId: "c2", revoked: false)),
            command: revoke, expected: "rejected not_found"),
        Row(
            rule: "revoking twice records nothing",
            state: GrantState(accessToken: AccessTokenState(jti: "j", connectionId: "c1", revoked: true)),
            command: revoke, expected: ""),
        Row(
            rule: "revoking", state: GrantState(accessToken: AccessTokenState(jti: "j", connectionId: "c1", revoked: false)),
            command: revoke, expected: "tokenRevoked"),
    ]

    @Test(arguments: otherRules)
    func everyOtherGrantCommandAnswersTheFirstBrokenRule(_ row: Row) {
        #expect(Self.outcome(GrantDecider.decide(row.state, row.command, nowMs: Self.t0)) == row.expected)
    }

    // MARK: Evolve

    @Test func aCodesLifeFoldsFromIssuedToRedeemed() throws {
        guard case .success(let issued) = GrantDecider.decide(GrantState(client: Self.client()), Self.issueCode(), nowMs: Self.t0)
        else { Issue.record("not issued"); return }
        var pending: PendingGrant? = issued.reduce(nil) { GrantDecider.evolve($0, $1) }
        #expect(pending?.status == .approved && pending?.codeChallengeS256 == "challenge")
        guard case .success(let redeemed) = GrantDecider.decide(
            GrantState(client: Self.client(), pending: pending), Self.redeem(), nowMs: Self.t0 + 1)
        else { Issue.record("not redeemed"); return }
        pending = redeemed.reduce(pending) { GrantDecider.evolve($0, $1) }
        #expect(pending?.status == .redeemed)
        // Redeemed once, the same code is now a replay.
        let again = GrantDecider.decide(GrantState(client: Self.client(), pending: pending), Self.redeem(), nowMs: Self.t0 + 2)
        #expect(Self.outcome(again) == "replayed")
    }

    @Test func aDeviceCodeFoldsThroughItsAnswer() {
        let started = GrantEvent.deviceStarted(
            DeviceAuthorizationStarted(
                deviceCodeSha256: "code", userCodeSha256: "u", connectionId: "c1", clientId: "app",
                scopes: ["balance:read"], accessTokenLifetimeSec: 600, intervalSec: 5, issuedAtMs: Self.t0,
                expiresAtMs: Self.t0 + 600_000))
        let pending = GrantDecider.evolve(PendingGrant?.none, started)
        #expect(pending?.status == .pending && pending?.userId == nil)
        let answered = GrantDecider.evolve(
            pending,
            .deviceAnswered(
                DeviceAuthorizationAnswered(
                    deviceCodeSha256: "code", connectionId: "c1", userId: "bob", approved: false, budget: nil,
                    answeredAtMs: Self.t0)))
        #expect(answered?.status == .denied && answered?.userId == "bob")
    }

    @Test func aRefreshFamilyFoldsThroughRotationAndRevocation() {
        let issued = GrantDecider.evolve(
            RefreshTokenState?.none,
            .refreshIssued(
                RefreshTokenIssued(
                    tokenSha256: "r", connectionId: "c1", clientId: "app", userId: "alice", scopes: [],
                    issuedAtMs: Self.t0, expiresAtMs: Self.t0 + 1)))
        #expect(issued?.status == .active)
        let revoked = GrantDecider.evolve(
            issued, .connection(.revoked(ConnectionRevoked(connectionId: "c1", reason: nil, revokedAtMs: Self.t0))))
        #expect(revoked?.status == .revoked)
        let otherFamily = GrantDecider.evolve(
            issued, .connection(.revoked(ConnectionRevoked(connectionId: "c2", reason: nil, revokedAtMs: Self.t0))))
        #expect(otherFamily?.status == .active)
        let rotated = GrantDecider.evolve(
            issued, .refreshRotated(RefreshTokenRotated(tokenSha256: "r", connectionId: "c1", rotatedAtMs: Self.t0)))
        #expect(rotated?.status == .rotated)
    }

    @Test func theLoginsNonceAndTimeFollowTheCodeIntoTheRefreshFamily() {
        let command = GrantCommand.issueCode(
            IssueAuthorizationCode(
                codeSha256: "code", connectionId: "c1", clientId: "app", userId: "alice",
                redirectUri: "https://app.example/cb", redirectUriExplicit: true, scopes: ["openid"],
                codeChallengeS256: "challenge", codeChallengeMethod: "S256", accessTokenLifetimeSec: 600, budget: nil,
                expiresAtMs: Self.t0 + 60_000, nonce: "n-1", authTimeMs: Self.t0 - 5_000))
        guard case .success(let issued) = GrantDecider.decide(GrantState(client: Self.client()), command, nowMs: Self.t0)
        else { Issue.record("not issued"); return }
        let pending = issued.reduce(PendingGrant?.none) { GrantDecider.evolve($0, $1) }
        #expect(pending?.nonce == "n-1" && pending?.authTimeMs == Self.t0 - 5_000)
        guard case .success(let redeemed) = GrantDecider.decide(
            GrantState(client: Self.client(), pending: pending), Self.redeem(), nowMs: Self.t0 + 1)
        else { Issue.record("not redeemed"); return }
        let family = redeemed.reduce(RefreshTokenState?.none) { GrantDecider.evolve($0, $1) }
        #expect(family?.authTimeMs == Self.t0 - 5_000)
    }
}
