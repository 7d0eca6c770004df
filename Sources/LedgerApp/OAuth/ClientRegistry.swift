import LedgerAuth
import LedgerCore
import LedgerStore

/// The registered OAuth clients (seed 001's admin API). A confidential client's secret is drawn
/// here and handed back once; the ledger keeps its SHA-256 only.
package struct ClientRegistry: Sendable {
    package let ledger: Ledger
    package let scopes: OAuthScopes

    package init(ledger: Ledger, scopes: OAuthScopes) {
        self.ledger = ledger
        self.scopes = scopes
    }

    package struct Registration: Sendable {
        package var clientId: String?
        package var name: String
        package var redirectUris: [String]
        package var isPublic: Bool
        package var scopes: [String]
        package var url: String?
        package var imageUrl: String?
        package var pkce: PKCEPolicy
        package var accessTokenAlg: SigningAlgorithm
        package var idTokenAlg: SigningAlgorithm

        package init(
            clientId: String?, name: String, redirectUris: [String], isPublic: Bool, scopes: [String], url: String?,
            imageUrl: String?, pkce: PKCEPolicy = .required, accessTokenAlg: SigningAlgorithm = .es256,
            idTokenAlg: SigningAlgorithm = .rs256
        ) {
            self.pkce = pkce
            self.accessTokenAlg = accessTokenAlg
            self.idTokenAlg = idTokenAlg
            self.clientId = clientId
            self.name = name
            self.redirectUris = redirectUris
            self.isPublic = isPublic
            self.scopes = scopes
            self.url = url
            self.imageUrl = imageUrl
        }
    }

    /// The new client and, for a confidential one, its secret (shown this once). No idempotency
    /// key: a replayed registration could not show the secret again.
    package func register(_ registration: Registration, _ request: AdminRequest) async throws
        -> (client: OAuthClient, secret: String?)
    {
        try checkScopes(registration.scopes)
        let secret = registration.isPublic ? nil : OAuthSecrets.make()
        let command = try RegisterClient(
            clientId: registration.clientId ?? Identifiers.make(now: ledger.clock()), name: registration.name,
            url: registration.url, imageUrl: registration.imageUrl, redirectUris: registration.redirectUris,
            isPublic: registration.isPublic, scopes: registration.scopes,
            secretSha256: secret.map(OAuthSecrets.sha256Hex), pkce: registration.pkce,
            accessTokenAlg: registration.accessTokenAlg, idTokenAlg: registration.idTokenAlg)
        switch try await ledger.registerClient(command, request.context(.create, subjectUserId: nil)) {
        case .created(let client, _): return (client, secret)
        case .rejected(let rejection, _): throw rejection
        }
    }

    /// The fields given are replaced; `.remove` drops `url` or `image_url`.
    package func update(
        id: String, name: String?, redirectUris: [String]?, scopes requested: [String]?, url: FieldChange<String>,
        imageUrl: FieldChange<String>, pkce: PKCEPolicy? = nil, accessTokenAlg: SigningAlgorithm? = nil,
        idTokenAlg: SigningAlgorithm? = nil, _ request: AdminRequest
    ) async throws -> OAuthClient {
        try checkScopes(requested)
        let command = try UpdateClient(
            clientId: id, name: name, url: url, imageUrl: imageUrl, redirectUris: redirectUris, scopes: requested,
            pkce: pkce, accessTokenAlg: accessTokenAlg, idTokenAlg: idTokenAlg)
        if case .rejected(let rejection, _) = try await ledger.updateClient(
            command, request.context(.update, subjectUserId: nil))
        {
            throw rejection
        }
        return try client(id: id)
    }

    package func delete(id: String, _ request: AdminRequest) async throws {
        if case .rejected(let rejection, _) = try await ledger.deleteClient(
            id: id, request.context(.delete, subjectUserId: nil))
        {
            throw rejection
        }
    }

    /// A registered client that has not been deleted.
    package func client(id: String) throws -> OAuthClient {
        guard let client = try ledger.client(id: id), client.status == .active else {
            throw Rejection(.notFound, "no client with this id")
        }
        return client
    }

    package func list(afterId: String?, limit: Int) async throws -> [OAuthClient] {
        try await ledger.clients(afterId: afterId, limit: limit)
    }

    private func checkScopes(_ requested: [String]?) throws(ValidationError) {
        guard let unknown = requested?.first(where: { scopes.descriptions[$0] == nil }) else { return }
        throw ValidationError(
            field: "scopes",
            reason: "\"\(unknown.prefix(64))\" is not a known scope; known: \(scopes.sorted.joined(separator: " "))")
    }
}
