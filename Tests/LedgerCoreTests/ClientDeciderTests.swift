import Testing

@testable import LedgerCore

/// `ClientDecider` as a precedence table: one row per rule, in the order it checks them.
@Suite struct ClientDeciderTests {
    static let t0: Int64 = 1_800_000_000_000

    static func client(status: OAuthClient.Status = .active) -> OAuthClient {
        OAuthClient(
            id: "app", name: "App", url: "https://app.example", imageUrl: nil, redirectUris: ["https://app.example/cb"],
            isPublic: false, scopes: ["balance:read"], secretSha256: "digest", status: status, createdAtMs: t0,
            updatedAtMs: t0, version: 1)
    }

    static let register = ClientCommand.register(
        try! RegisterClient(
            clientId: "app", name: "App", url: nil, imageUrl: nil, redirectUris: ["https://app.example/cb"],
            isPublic: false, scopes: ["balance:read"], secretSha256: "digest"))

    static func update(name: String? = nil, url: FieldChange<String> = .keep, scopes: [String]? = nil) -> ClientCommand {
        .update(try! UpdateClient(clientId: "app", name: name, url: url, scopes: scopes))
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var rule: String
        var state: OAuthClient?
        var command: ClientCommand
        var expected: String
        var testDescription: String { rule }
    }

    static func outcome(_ result: Result<[ClientEvent], Rejection>) -> String {
        switch result {
        case .failure(let rejection): "rejected \(rejection.code.rawValue)"
        case .success(let events):
            events.map { event -> String in
                switch event {
                case .registered: "registered"
                case .updated(let e):
                    "updated(" + [e.name.map { _ in "name" }, e.url.map { _ in "url" }, e.urlRemoved.map { _ in "url-" },
                        e.scopes.map { _ in "scopes" }].compactMap { $0 }.joined(separator: ",") + ")"
                case .deleted: "deleted"
                }
            }.joined(separator: ",")
        }
    }

    static let rules: [Row] = [
        Row(rule: "registering an id in use", state: client(status: .deleted), command: register,
            expected: "rejected already_exists"),
        Row(rule: "registering", state: nil, command: register, expected: "registered"),
        Row(rule: "updating an unknown client", state: nil, command: update(name: "New"), expected: "rejected not_found"),
        Row(rule: "updating a deleted client", state: client(status: .deleted), command: update(name: "New"),
            expected: "rejected not_found"),
        Row(rule: "an update that changes nothing records nothing", state: client(),
            command: update(name: "App", url: .set("https://app.example"), scopes: ["balance:read"]), expected: ""),
        Row(rule: "an update records only what changed", state: client(),
            command: update(name: "New", url: .remove, scopes: ["balance:read"]), expected: "updated(name,url-)"),
        Row(rule: "deleting an unknown client", state: nil, command: .delete(clientId: "app"),
            expected: "rejected not_found"),
        Row(rule: "deleting twice", state: client(status: .deleted), command: .delete(clientId: "app"),
            expected: "rejected not_found"),
        Row(rule: "deleting", state: client(), command: .delete(clientId: "app"), expected: "deleted"),
    ]

    @Test(arguments: rules)
    func everyClientCommandAnswersTheFirstBrokenRule(_ row: Row) {
        #expect(Self.outcome(ClientDecider.decide(row.state, row.command, nowMs: Self.t0)) == row.expected)
    }

    @Test func aClientFoldsFromRegisteredThroughUpdatesToDeleted() {
        guard case .success(let registered) = ClientDecider.decide(nil, Self.register, nowMs: Self.t0) else {
            Issue.record("not registered")
            return
        }
        var state = registered.reduce(OAuthClient?.none) { ClientDecider.evolve($0, $1, version: 1) }
        #expect(state?.status == .active && state?.secretSha256 == "digest")
        guard case .success(let updated) = ClientDecider.decide(state, Self.update(name: "Renamed"), nowMs: Self.t0 + 1)
        else { Issue.record("not updated"); return }
        state = updated.reduce(state) { ClientDecider.evolve($0, $1, version: 2) }
        #expect(state?.name == "Renamed" && state?.version == 2 && state?.updatedAtMs == Self.t0 + 1)
        guard case .success(let deleted) = ClientDecider.decide(state, .delete(clientId: "app"), nowMs: Self.t0 + 2)
        else { Issue.record("not deleted"); return }
        state = deleted.reduce(state) { ClientDecider.evolve($0, $1, version: 3) }
        #expect(state?.status == .deleted)
    }

    /// New clients get `required`; registrations recorded before the per-client policy keep the
    /// rule of their time (PKCE for public clients only) and ES256 access tokens, RS256 ID tokens.
    @Test(arguments: [
        (PKCEPolicy?.none, true, PKCEPolicy.required), (nil, false, .optional), (.optional, true, .optional),
        (.required, false, .required),
    ])
    func aRegistrationsPKCEPolicyIsItsOwnOrItsTimes(recorded: PKCEPolicy?, isPublic: Bool, expected: PKCEPolicy) {
        let event = ClientEvent.registered(
            ClientRegistered(
                clientId: "app", name: "App", url: nil, imageUrl: nil, redirectUris: ["https://app.example/cb"],
                isPublic: isPublic, scopes: ["balance:read"], secretSha256: isPublic ? nil : "digest",
                registeredAtMs: Self.t0, pkce: recorded))
        let client = ClientDecider.evolve(nil, event, version: 1)
        #expect(client?.pkce == expected)
        #expect(client?.accessTokenAlg == .es256 && client?.idTokenAlg == .rs256)
    }
}
