public struct RegisterClient: Sendable, Equatable {
    public var clientId: String
    public var name: String
    public var url: String?
    public var imageUrl: String?
    public var redirectUris: [String]
    public var isPublic: Bool
    public var scopes: [String]
    public var secretSha256: String?
    public var pkce: PKCEPolicy
    public var accessTokenAlg: SigningAlgorithm
    public var idTokenAlg: SigningAlgorithm

    public init(
        clientId: String, name: String, url: String?, imageUrl: String?, redirectUris: [String], isPublic: Bool,
        scopes: [String], secretSha256: String?, pkce: PKCEPolicy = .required, accessTokenAlg: SigningAlgorithm = .es256,
        idTokenAlg: SigningAlgorithm = .rs256
    ) throws(ValidationError) {
        self.pkce = pkce
        self.accessTokenAlg = accessTokenAlg
        self.idTokenAlg = idTokenAlg
        self.clientId = try ConnectionRules.identifier(clientId, field: "client_id")
        // Room for the "cc-" prefix of its client-credentials connection within the 64 of an id.
        guard clientId.utf8.count <= 60 else {
            throw ValidationError(field: "client_id", reason: "must be at most 60 characters")
        }
        self.name = try ConnectionRules.text(name, field: "name", maxLength: 200)
        self.url = try url.map { u throws(ValidationError) in try ClientRules.webURL(u, field: "url") }
        self.imageUrl = try imageUrl.map { u throws(ValidationError) in try ClientRules.webURL(u, field: "image_url") }
        self.redirectUris = try ClientRules.redirectUris(redirectUris)
        self.isPublic = isPublic
        self.scopes = try ConnectionRules.scopes(scopes)
        guard isPublic == (secretSha256 == nil) else {
            throw ValidationError(field: "public", reason: "confidential clients have a secret, public clients none")
        }
        self.secretSha256 = secretSha256
    }
}

/// PUT: the fields given replace the registered ones; absent fields stay.
public struct UpdateClient: Sendable, Equatable {
    public var clientId: String
    public var name: String?
    public var url: FieldChange<String>
    public var imageUrl: FieldChange<String>
    public var redirectUris: [String]?
    public var scopes: [String]?
    public var pkce: PKCEPolicy?
    public var accessTokenAlg: SigningAlgorithm?
    public var idTokenAlg: SigningAlgorithm?

    public init(
        clientId: String, name: String? = nil, url: FieldChange<String> = .keep,
        imageUrl: FieldChange<String> = .keep, redirectUris: [String]? = nil, scopes: [String]? = nil,
        pkce: PKCEPolicy? = nil, accessTokenAlg: SigningAlgorithm? = nil, idTokenAlg: SigningAlgorithm? = nil
    ) throws(ValidationError) {
        self.pkce = pkce
        self.accessTokenAlg = accessTokenAlg
        self.idTokenAlg = idTokenAlg
        self.clientId = try ConnectionRules.identifier(clientId, field: "client_id")
        self.name = try name.map { n throws(ValidationError) in
            try ConnectionRules.text(n, field: "name", maxLength: 200)
        }
        if case .set(let value) = url {
            self.url = .set(try ClientRules.webURL(value, field: "url"))
        } else {
            self.url = url
        }
        if case .set(let value) = imageUrl {
            self.imageUrl = .set(try ClientRules.webURL(value, field: "image_url"))
        } else {
            self.imageUrl = imageUrl
        }
        self.redirectUris = try redirectUris.map { r throws(ValidationError) in try ClientRules.redirectUris(r) }
        self.scopes = try scopes.map { s throws(ValidationError) in try ConnectionRules.scopes(s) }
    }
}

public enum ClientCommand: Sendable, Equatable {
    case register(RegisterClient)
    case update(UpdateClient)
    case delete(clientId: String)

    public var clientId: String {
        switch self {
        case .register(let c): c.clientId
        case .update(let c): c.clientId
        case .delete(let id): id
        }
    }

    public var name: String {
        switch self {
        case .register: "RegisterClient"
        case .update: "UpdateClient"
        case .delete: "DeleteClient"
        }
    }
}
