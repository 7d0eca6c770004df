/// The pure state machine of registered clients.
public enum ClientDecider {
    public static func decide(_ state: OAuthClient?, _ command: ClientCommand, nowMs: Int64) -> Result<
        [ClientEvent], Rejection
    > {
        switch command {
        case .register(let c):
            guard state == nil else {
                return .failure(Rejection(.alreadyExists, "client \(c.clientId) already exists"))
            }
            return .success([
                .registered(
                    ClientRegistered(
                        clientId: c.clientId, name: c.name, url: c.url, imageUrl: c.imageUrl,
                        redirectUris: c.redirectUris, isPublic: c.isPublic, scopes: c.scopes,
                        secretSha256: c.secretSha256, registeredAtMs: nowMs, pkce: c.pkce,
                        accessTokenSigningAlg: c.accessTokenAlg, idTokenSignedResponseAlg: c.idTokenAlg))
            ])
        case .update(let c):
            guard let state, state.status == .active else { return .failure(notFound(c.clientId)) }
            var event = ClientUpdated(clientId: c.clientId, updatedAtMs: nowMs)
            if let name = c.name, name != state.name { event.name = name }
            switch c.url {
            case .keep: break
            case .set(let url): if url != state.url { event.url = url }
            case .remove: if state.url != nil { event.urlRemoved = true }
            }
            switch c.imageUrl {
            case .keep: break
            case .set(let url): if url != state.imageUrl { event.imageUrl = url }
            case .remove: if state.imageUrl != nil { event.imageUrlRemoved = true }
            }
            if let uris = c.redirectUris, uris != state.redirectUris { event.redirectUris = uris }
            if let scopes = c.scopes, scopes != state.scopes { event.scopes = scopes }
            if let pkce = c.pkce, pkce != state.pkce { event.pkce = pkce }
            if let alg = c.accessTokenAlg, alg != state.accessTokenAlg { event.accessTokenSigningAlg = alg }
            if let alg = c.idTokenAlg, alg != state.idTokenAlg { event.idTokenSignedResponseAlg = alg }
            return .success(event.changesSomething ? [.updated(event)] : [])
        case .delete(let id):
            guard let state, state.status == .active else { return .failure(notFound(id)) }
            return .success([.deleted(ClientDeleted(clientId: state.id, deletedAtMs: nowMs))])
        }
    }

    public static func evolve(_ state: OAuthClient?, _ event: ClientEvent, version: Int64) -> OAuthClient? {
        switch event {
        case .registered(let e):
            return OAuthClient(
                id: e.clientId, name: e.name, url: e.url, imageUrl: e.imageUrl, redirectUris: e.redirectUris,
                isPublic: e.isPublic, scopes: e.scopes, secretSha256: e.secretSha256, status: .active,
                createdAtMs: e.registeredAtMs, updatedAtMs: e.registeredAtMs, version: version,
                pkce: e.pkce ?? (e.isPublic ? .required : .optional), accessTokenAlg: e.accessTokenSigningAlg ?? .es256,
                idTokenAlg: e.idTokenSignedResponseAlg ?? .rs256)
        case .updated(let e):
            guard var next = state else { return nil }
            if let name = e.name { next.name = name }
            if let url = e.url { next.url = url }
            if e.urlRemoved == true { next.url = nil }
            if let url = e.imageUrl { next.imageUrl = url }
            if e.imageUrlRemoved == true { next.imageUrl = nil }
            if let uris = e.redirectUris { next.redirectUris = uris }
            if let scopes = e.scopes { next.scopes = scopes }
            if let pkce = e.pkce { next.pkce = pkce }
            if let alg = e.accessTokenSigningAlg { next.accessTokenAlg = alg }
            if let alg = e.idTokenSignedResponseAlg { next.idTokenAlg = alg }
            next.updatedAtMs = e.updatedAtMs
            next.version = version
            return next
        case .deleted(let e):
            guard var next = state else { return nil }
            next.status = .deleted
            next.updatedAtMs = e.deletedAtMs
            next.version = version
            return next
        }
    }

    private static func notFound(_ id: String) -> Rejection { Rejection(.notFound, "no client with id \(id)") }
}

extension ClientUpdated {
    init(clientId: String, updatedAtMs: Int64) {
        self.clientId = clientId
        self.updatedAtMs = updatedAtMs
    }
}
