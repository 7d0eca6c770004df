import Crypto
import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// How practitioner login is set up (`--signing-means`, lifetimes, the contracts' time zone).
public struct NutsSettings: Sendable {
    public static let accessTokenLifetimeSecBounds = SettingBounds(default: 60, range: 1...3600)
    public static let signingSessionLifetimeSecBounds = SettingBounds(default: 600, range: 10...86_400)
    public static let contractValiditySecBounds = SettingBounds(default: 3600, range: 60...86_400)

    public var signingMeans: Set<SigningSession.Means>
    /// RFC003 §5.3: "Tokens MUST NOT be valid for more than 60 seconds" (the default).
    public var accessTokenLifetimeSec: Int64
    public var signingSessionLifetimeSec: Int64
    /// A contract drawn up without `validDuration` (the node's 60 minutes).
    public var contractValiditySec: Int64
    public var timeZone: TimeZone
    /// Where the employeeid means' page is served (this server's public URL).
    public var publicURL: String

    public init(
        signingMeans: Set<SigningSession.Means> = [.employeeid], accessTokenLifetimeSec: Int64 = 60,
        signingSessionLifetimeSec: Int64 = 600, contractValiditySec: Int64 = 3600,
        timeZone: TimeZone = ContractTemplate.amsterdamTimeZone, publicURL: String = "http://127.0.0.1:8080"
    ) {
        self.signingMeans = signingMeans
        self.accessTokenLifetimeSec = accessTokenLifetimeSec
        self.signingSessionLifetimeSec = signingSessionLifetimeSec
        self.contractValiditySec = contractValiditySec
        self.timeZone = timeZone
        self.publicURL = publicURL
    }
}

/// Why a Nuts auth request was refused, with the node's status: its problem detail is the text.
package struct NutsProblem: Error, Sendable, Equatable {
    package enum Status: Sendable { case badRequest, notFound, forbidden, unauthorized }
    package var status: Status
    package var detail: String

    package init(status: Status, detail: String) {
        self.status = status
        self.detail = detail
    }

    package static func badRequest(_ detail: String) -> NutsProblem { NutsProblem(status: .badRequest, detail: detail) }
    package static func notFound(_ detail: String) -> NutsProblem { NutsProblem(status: .notFound, detail: detail) }
}

/// Practitioner login as the Nuts auth v1 API does it: contracts drawn up for registered
/// organisations, signing sessions with a means, presentations this ledger signs, and short-lived
/// access tokens that carry who the practitioner is.
package struct PractitionerLogin: Sendable {
    package let ledger: Ledger
    package let tokens: NutsTokens
    package let settings: NutsSettings
    /// Derives each employeeid session's page secret (HMAC of the session id), so no secret is
    /// stored anywhere: the log keeps its hash. A restart forgets the key; open pages then fail.
    let pageKey = SymmetricKey(size: .bits256)

    package init(ledger: Ledger, tokens: NutsTokens, settings: NutsSettings) {
        self.ledger = ledger
        self.tokens = tokens
        self.settings = settings
    }

    package struct DrawnUp: Sendable, Equatable {
        package var message: String
        package var type: String
        package var language: String
        package var version: String
    }

    // MARK: Contracts

    /// `PUT /internal/auth/v1/contract/drawup`, checked in the node's order.
    package func drawUp(
        type: String, language: String, version: String?, legalEntity: String, validFrom: String?,
        validDuration: String?
    ) throws(NutsProblem) -> DrawnUp {
        let validFromMs: Int64
        if let validFrom, !validFrom.isEmpty {
            guard validFrom.utf8.count <= 40, let ms = RFC3339.unixMs(validFrom) else {
                throw .badRequest("could not parse validFrom: \"\(validFrom.prefix(40))\" is not an RFC 3339 time")
            }
            validFromMs = ms
        } else {
            validFromMs = ledger.nowMs / 1000 * 1000
        }
        var durationMs = settings.contractValiditySec * 1000
        if let validDuration, !validDuration.isEmpty {
            do {
                durationMs = try ValidDuration.parse(validDuration)
            } catch {
                throw .badRequest("could not parse validDuration: \(error.message)")
            }
        }
        guard let template = ContractTemplate.find(type: type, language: language, version: version) else {
            throw .notFound("no contract found for given combination of type, version, and language")
        }
        do {
            try OrganizationDecider.checkId(legalEntity)
        } catch {
            throw .badRequest("invalid value '\(legalEntity.prefix(256))' for param legalEntity: invalid DID")
        }
        let organization: Organization?
        do { organization = try ledger.organization(id: legalEntity) } catch {
            throw .badRequest("could not draw up contract: the ledger cannot be read")
        }
        guard let organization else {
            throw .notFound("could not draw up contract: no organization \(legalEntity) in the registry")
        }
        let message = template.render(
            legalEntity: organization.name, city: organization.city, validFromMs: validFromMs,
            validToMs: validFromMs + durationMs, timeZone: settings.timeZone)
        return DrawnUp(message: message, type: template.type, language: template.language, version: template.version)
    }

    /// `GET /public/auth/v1/contract/{contractType}`: the spec's default language is `nl`, and
    /// the language is matched without regard to case (the node's lookup is exact; `nl` is its own
    /// documented default, so it must find something).
    package func template(type: String, language: String?, version: String?) throws(NutsProblem) -> ContractTemplate {
        guard let template = ContractTemplate.find(type: type, language: (language ?? "nl").uppercased(), version: version)
        else { throw .notFound("could not find contract template") }
        return template
    }

    // MARK: Signing sessions

    package struct StartedSession: Sendable {
        package var session: SigningSession
        package var pointer: [String: String]
    }

    /// `POST /internal/auth/v1/signature/session`. Every refusal is the node's 400
    /// `unable to create sign challenge: …`; nothing is written for one.
    package func startSession(
        means meansName: String, payload: String, params: JSONValue?, _ context: WriteContext
    ) async throws -> StartedSession {
        func refuse(_ reason: String) -> NutsProblem { .badRequest("unable to create sign challenge: \(reason)") }
        guard let means = SigningSession.Means(rawValue: meansName), settings.signingMeans.contains(means) else {
            throw refuse("unknown signing means")
        }
        guard !payload.isEmpty else { throw refuse("can not sign an empty message") }
        let contract: SignedContract
        do {
            contract = try SignedContract.parse(payload, timeZone: settings.timeZone)
        } catch {
            throw refuse("invalid contract text: \(error.message)")
        }
        guard contract.template.version == ContractTemplate.defaultVersion else {
            throw refuse("invalid contract text: only v3 contracts can be signed")
        }
        do {
            try contract.check(atMs: max(ledger.nowMs, contract.validFromMs))
        } catch {
            throw refuse("invalid contract text: \(error.message)")
        }
        // The contract must be one drawn up here: for a registered organisation, by name and city.
        guard let organization = try ledger.organization(name: contract.legalEntity, city: contract.city) else {
            throw refuse("invalid contract text: not a contract drawn up for a registered organization")
        }
        let signer: SignerIdentity
        switch means {
        case .dummy:
            signer = .dummy
        case .employeeid:
            signer = try Self.employee(params, employer: organization.id).get()
        }
        let id = Self.randomHex()
        let now = ledger.nowMs
        let session = SigningSession(
            id: id, means: means, contract: payload, legalEntity: organization.id, signer: signer,
            secretSha256: means == .employeeid ? Self.sha256(pageSecret(sessionId: id)) : nil, createdAtMs: now,
            expiresAtMs: now + settings.signingSessionLifetimeSec * 1000)
        try await ledger.startSigningSession(session, context)
        var pointer = ["sessionID": id]
        if means == .employeeid { pointer["url"] = employeePageURL(sessionId: id) }
        return StartedSession(session: session, pointer: pointer)
    }

    /// The employeeid means' params, in the node's order of checks.
    static func employee(_ params: JSONValue?, employer organizationId: String) -> Result<SignerIdentity, NutsProblem> {
        func refuse(_ reason: String) -> Result<SignerIdentity, NutsProblem> {
            .failure(.badRequest("unable to create sign challenge: could not draw up contract: invalid session params: \(reason)"))
        }
        guard case .object(let members) = params else { return refuse("missing employer") }
        guard case .string(let employer) = members["employer"], !employer.isEmpty else { return refuse("missing employer") }
        guard employer == organizationId else {
            return refuse("employer \(employer.prefix(256)) is not the contract's legal entity")
        }
        guard let employeeValue = members["employee"] else { return refuse("missing employee") }
        guard case .object(let employee) = employeeValue else { return refuse("employee should be an object") }
        func text(_ key: String, required: Bool) -> String?? {
            guard let value = employee[key] else { return required ? nil : .some(nil) }
            guard case .string(let string) = value, !string.isEmpty || !required, string.utf8.count <= 200,
                !string.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { return nil }
            return .some(string)
        }
        guard let identifier = text("identifier", required: true) ?? nil else { return refuse("missing/invalid employee identifier") }
        guard let initials = text("initials", required: true) ?? nil else { return refuse("missing/invalid employee initials") }
        guard let familyName = text("familyName", required: true) ?? nil else { return refuse("missing/invalid employee familyName") }
        guard let roleName = text("roleName", required: false) else { return refuse("invalid employee roleName") }
        return .success(
            SignerIdentity(initials: initials, familyName: familyName, username: identifier, role: roleName ?? ""))
    }

    package func employeePageURL(sessionId: String) -> String {
        let base = settings.publicURL.hasSuffix("/") ? String(settings.publicURL.dropLast()) : settings.publicURL
        return base + "/public/auth/v1/means/employeeid/" + sessionId
    }

    package func pageSecret(sessionId: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(sessionId.utf8), using: pageKey))
    }

    /// `GET /internal/auth/v1/signature/session/{id}`: the status, and the presentation once.
    package func status(sessionId: String, _ context: WriteContext) async throws -> (String, [String: Any]?) {
        guard sessionId.utf8.count <= 64 else {
            throw NutsProblem.notFound("failed to get session status for \(sessionId.prefix(64)), reason: session not found")
        }
        let (answer, session) = try await ledger.pollSigningSession(id: sessionId, context)
        switch answer {
        case .notFound:
            throw NutsProblem.notFound("failed to get session status for \(sessionId), reason: session not found")
        case .status(let status, let presentation):
            guard presentation, let session else { return (status.rawValue, nil) }
            return (status.rawValue, try await self.presentation(session))
        }
    }

    /// The employeeid page: view (starts the session), accept or decline.
    package func page(
        sessionId: String, _ action: SigningSessionDecider.PageAction, secret: String?, _ context: WriteContext
    ) async throws -> SigningSession {
        guard sessionId.utf8.count <= 64 else { throw NutsProblem.notFound("session not found") }
        guard let session = try await ledger.signingSessionPage(
            id: sessionId, action, secretSha256: secret.map(Self.sha256), context)
        else { throw NutsProblem.notFound("session not found") }
        return session
    }

    // MARK: Presentations

    static func vpType(_ means: SigningSession.Means) -> String {
        means == .dummy ? "DummyVerifiablePresentation" : "NutsSelfSignedPresentation"
    }

    /// A W3C presentation whose proof is an ES256 JWS by this ledger over the contract and the
    /// signer's attributes; the proof's `challenge` is the contract, as the node's is.
    func presentation(_ session: SigningSession) async throws -> [String: Any] {
        let contract = try? SignedContract.parse(session.contract, timeZone: settings.timeZone)
        let now = ledger.clock()
        let claims = PresentationClaims(
            issuer: settings.publicURL, legalEntity: session.legalEntity, issuedAt: now,
            expiresAt: Date(timeIntervalSince1970: Double(contract?.validToMs ?? now.unixMs) / 1000), sessionId: session.id,
            contract: session.contract, means: session.means.rawValue, vpType: Self.vpType(session.means),
            initials: session.signer.initials, prefix: session.signer.prefix, familyName: session.signer.familyName,
            email: session.signer.email, username: session.signer.username, role: session.signer.role,
            assuranceLevel: session.signer.assuranceLevel)
        let jws = try await tokens.signPresentation(claims)
        return [
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiablePresentation", Self.vpType(session.means)],
            "proof": [
                "type": "JsonWebSignature2020", "proofPurpose": "authentication", "challenge": session.contract,
                "created": RFC3339.string(unixMs: now.unixMs), "verificationMethod": settings.publicURL + "/.well-known/jwks.json",
                "jws": jws,
            ] as [String: Any],
        ]
    }

    package struct Verification: Sendable {
        package var claims: PresentationClaims
        package var contract: SignedContract
    }

    /// The presentation's proof verifies, says what the presentation says, and the contract is
    /// valid at `atMs`; otherwise why not (the node answers `validity: false` for any of these).
    package func check(_ presentation: JSONValue, atMs: Int64) async -> Result<Verification, NutsProblem> {
        func invalid(_ reason: String) -> Result<Verification, NutsProblem> { .failure(.badRequest(reason)) }
        guard case .object(let vp) = presentation, case .array(let types) = vp["type"],
            case .object(let proof) = vp["proof"], case .string(let jws) = proof["jws"],
            case .string(let challenge) = proof["challenge"]
        else { return invalid("not a presentation this ledger signed (type, proof.jws and proof.challenge are needed)") }
        let customTypes = types.compactMap { value -> String? in
            guard case .string(let type) = value, type != "VerifiablePresentation" else { return nil }
            return type
        }
        guard customTypes.count == 1 else { return invalid("exactly 1 custom type is expected") }
        let claims: PresentationClaims
        do {
            claims = try await tokens.verifyPresentation(jws)
        } catch {
            return invalid("proof: \(error.reason)")
        }
        guard claims.contract == challenge, claims.vp_type == customTypes[0] else {
            return invalid("the presentation does not match its proof")
        }
        let contract: SignedContract
        do {
            contract = try SignedContract.parse(claims.contract, timeZone: settings.timeZone)
            try contract.check(atMs: atMs)
        } catch {
            return invalid("invalid contract text: \(error.message)")
        }
        return .success(Verification(claims: claims, contract: contract))
    }

    /// `PUT /internal/auth/v1/signature/verify`.
    package func verify(_ presentation: JSONValue, checkTime: String?) async throws(NutsProblem) -> [String: Any] {
        var atMs = ledger.nowMs
        if let checkTime, !checkTime.isEmpty {
            guard checkTime.utf8.count <= 40, let ms = RFC3339.unixMs(checkTime) else {
                throw .badRequest("could not parse checkTime: \"\(checkTime.prefix(40))\" is not an RFC 3339 time")
            }
            atMs = ms
        }
        guard case .success(let verified) = await check(presentation, atMs: atMs) else { return ["validity": false] }
        var attributes: [String: Any] = [
            "initials": verified.claims.initials, "prefix": verified.claims.prefix,
            "familyname": verified.claims.family_name, "email": verified.claims.email,
            "username": verified.claims.username, "assurance_level": verified.claims.assurance_level,
        ]
        if !verified.claims.user_role.isEmpty { attributes["user_role"] = verified.claims.user_role }
        return [
            "validity": true, "vpType": verified.claims.vp_type, "issuerAttributes": attributes,
            "credentials": [
                "legal_entity": verified.contract.legalEntity, "legal_entity_city": verified.contract.city,
                "valid_from": verified.contract.validFromText, "valid_to": verified.contract.validToText,
            ],
        ]
    }

    // MARK: Access tokens

    /// `POST /internal/auth/v1/request-access-token`: refused (400) when the identity is not a
    /// valid presentation now, or was signed for another organisation than the requester.
    package func requestAccessToken(
        authorizer: String, requester: String, identity: JSONValue?, service: String, credentials: [JSONValue],
        _ context: (NutsAccessToken) -> WriteContext
    ) async throws -> [String: Any] {
        for (name, value) in [("authorizer", authorizer), ("requester", requester)] {
            do { try OrganizationDecider.checkId(value) } catch {
                throw NutsProblem.badRequest("invalid value '\(value.prefix(256))' for param \(name): invalid DID")
            }
        }
        guard !service.isEmpty, service.utf8.count <= 128 else {
            throw NutsProblem.badRequest("service must be 1 to 128 bytes")
        }
        guard credentials.count <= 16 else { throw NutsProblem.badRequest("at most 16 credentials") }
        guard let identity else { throw NutsProblem.badRequest("identity is required: the signed login contract") }
        let verified: Verification
        switch await check(identity, atMs: ledger.nowMs) {
        case .success(let value): verified = value
        case .failure(let problem): throw NutsProblem.badRequest("identity validation failed: \(problem.detail)")
        }
        guard verified.claims.legalEntity == requester else {
            throw NutsProblem.badRequest("legal entity mismatch: the contract was signed for another organization")
        }
        let now = ledger.nowMs
        var random = IdentifierRandomness()
        let token = NutsAccessToken(
            jti: random.uuidString(), requester: requester, authorizer: authorizer, service: service,
            signer: SignerIdentity(
                initials: verified.claims.initials, prefix: verified.claims.prefix, familyName: verified.claims.family_name,
                email: verified.claims.email, username: verified.claims.username, role: verified.claims.user_role,
                assuranceLevel: verified.claims.assurance_level),
            contract: verified.claims.contract, issuedAtMs: now,
            expiresAtMs: now + settings.accessTokenLifetimeSec * 1000)
        try await ledger.issueNutsAccessToken(token, context(token))
        let jwt = try await tokens.mintAccessToken(
            NutsAccessTokenClaims(
                authorizer: authorizer, requester: requester, issuedAt: Date(timeIntervalSince1970: Double(now) / 1000),
                expiresAt: Date(timeIntervalSince1970: Double(token.expiresAtMs) / 1000), jti: token.jti,
                service: service))
        return ["access_token": jwt, "token_type": "bearer", "expires_in": settings.accessTokenLifetimeSec]
    }

    /// The token's record, when it is one this ledger issued and it has not expired.
    package func activeToken(_ token: String) async -> NutsAccessToken? {
        guard let claims = try? await tokens.verifyAccessToken(token, now: ledger.clock()),
            let record = try? ledger.nutsAccessToken(jti: claims.jtiValue)
        else { return nil }
        return record
    }

    /// `POST /internal/auth/v1/accesstoken/introspect`: exactly `{"active": false}` for anything
    /// not active.
    package func introspect(_ token: String) async -> [String: Any] {
        guard let record = await activeToken(token) else { return ["active": false] }
        return [
            "active": true, "service": record.service, "iss": record.authorizer, "sub": record.requester, "aud": "",
            "exp": record.expiresAtMs / 1000, "iat": record.issuedAtMs / 1000,
            "initials": record.signer.initials, "prefix": record.signer.prefix,
            "family_name": record.signer.familyName, "email": record.signer.email,
            "username": record.signer.username, "user_role": record.signer.role,
            "assurance_level": record.signer.assuranceLevel,
        ]
    }

    static func randomHex() -> String {
        Hex.encode(SecretBytes.make(16))
    }

    static func sha256(_ text: String) -> String { Hex.encode(SHA256.hash(data: Data(text.utf8))) }
}
