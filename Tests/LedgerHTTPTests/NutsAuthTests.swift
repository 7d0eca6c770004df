import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerApp
import LedgerCore
import LedgerStore
import LedgerTestSupport
import NIOCore
import Testing

/// Practitioner login as the Nuts auth v1 API does it: drawup, signing sessions, presentations,
/// access tokens carrying the practitioner, and their audit records.
@Suite struct NutsAuthTests {
    static let did = "did:nuts:Ft8NRLzSjxyw8AmTHVtJ9ehBctXpsaQjshmHnqWCATEz"
    static let english =
        "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. This declaration is valid from Monday, 30 November 2026 10:00:00 until Monday, 30 November 2026 12:00:00."
    static let dutch =
        "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van CareBears te CareTown. Deze verklaring is geldig van maandag, 30 november 2026 10:00:00 tot maandag, 30 november 2026 12:00:00."

    static func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: Any? = nil,
        token: String? = TestServer.adminToken, form: String? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let body {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            buffer = ByteBuffer(string: form)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer)
    }

    static func register(_ client: some TestClientProtocol, id: String = did, name: String = "CareBears") async throws {
        let answer = try await send(client, .post, "/admin/organizations", ["id": id, "name": name, "city": "CareTown"])
        #expect(answer.status == .created, "\(String(buffer: answer.body))")
    }

    static func drawUp(
        _ client: some TestClientProtocol, language: String = "EN", type: String = "PractitionerLogin",
        validFrom: String? = nil, duration: String = "2h", legalEntity: String = did
    ) async throws -> TestResponse {
        var body: [String: Any] = [
            "type": type, "language": language, "version": "v3", "legalEntity": legalEntity, "validDuration": duration,
        ]
        if let validFrom { body["validFrom"] = validFrom }
        return try await send(client, .put, "/internal/auth/v1/contract/drawup", body)
    }

    /// A completed dummy session's presentation for a contract valid now.
    static func presentation(_ client: some TestClientProtocol) async throws -> [String: Any] {
        let message = try #require(try await drawUp(client).json["message"] as? String)
        let started = try await send(
            client, .post, "/internal/auth/v1/signature/session", ["means": "dummy", "payload": message, "params": [:]])
        #expect(started.status == .created, "\(String(buffer: started.body))")
        let id = try #require(started.json["sessionID"] as? String)
        var statuses: [String] = []
        for _ in 0..<3 {
            let status = try await send(client, .get, "/internal/auth/v1/signature/session/\(id)")
            statuses.append(status.json["status"] as? String ?? "?")
            if let vp = status.json["verifiablePresentation"] as? [String: Any] {
                #expect(statuses == ["created", "in-progress", "completed"])
                return vp
            }
        }
        Issue.record("no presentation after \(statuses)")
        return [:]
    }

    static func eventCount(_ server: TestServer) throws -> Int64 { try server.ledger.eventCount() }

    @Test func drawupAnswersTheNodesMessageInBothLanguagesCharacterForCharacter() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.register(client)
            let english = try await Self.drawUp(client, validFrom: "2026-11-30T09:00:00Z")
            #expect(english.status == .ok, "\(String(buffer: english.body))")
            #expect(english.json["message"] as? String == Self.english)
            #expect(english.json["type"] as? String == "PractitionerLogin" && english.json["version"] as? String == "v3")
            let dutch = try await Self.drawUp(
                client, language: "NL", type: "BehandelaarLogin", validFrom: "2026-11-30T10:00:00+01:00")
            #expect(dutch.json["message"] as? String == Self.dutch, "\(String(buffer: dutch.body))")
            // Summer time: 10:00 UTC is 12:00 in Amsterdam.
            let summer = try await Self.drawUp(client, validFrom: "2026-07-01T10:00:00Z", duration: "90m")
            #expect((summer.json["message"] as? String)?.hasSuffix("valid from Wednesday, 1 July 2026 12:00:00 until Wednesday, 1 July 2026 13:30:00.") == true)
            let template = try await Self.send(client, .get, "/public/auth/v1/contract/PractitionerLogin?language=EN&version=v3", token: nil)
            #expect(template.status == .ok)
            #expect((template.json["template"] as? String)?.hasPrefix("EN:PractitionerLogin:v3 I hereby declare to act on behalf of {{{legal_entity}}}") == true)
        }
    }

    @Test(arguments: [
        (["type": "Nonsense"], 404, "no contract found for given combination of type, version, and language"),
        (["language": "DE"], 404, "no contract found for given combination of type, version, and language"),
        (["version": "v2"], 404, "no contract found for given combination of type, version, and language"),
        (["legalEntity": "did:nuts:unknown"], 404, "no organization did:nuts:unknown"),
        (["legalEntity": "CareBears"], 400, "invalid value 'CareBears' for param legalEntity"),
        (["validDuration": "15 minutes"], 400, "could not parse validDuration: time: unknown unit \" minutes\""),
        (["validDuration": "1d"], 400, "could not parse validDuration"),
        (["validDuration": "abc"], 400, "could not parse validDuration: time: invalid duration \"abc\""),
        (["validFrom": "30-11-2026"], 400, "could not parse validFrom"),
    ] as [([String: String], Int, String)])
    func aBadDrawupIsA4xxProblemThatWritesNothing(change: [String: String], status: Int, detail: String) async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.register(client)
            var body: [String: Any] = [
                "type": "PractitionerLogin", "language": "EN", "version": "v3", "legalEntity": Self.did, "validDuration": "2h",
            ]
            for (key, value) in change { body[key] = value }
            let before = try Self.eventCount(server)
            let answer = try await Self.send(client, .put, "/internal/auth/v1/contract/drawup", body)
            #expect(Int(answer.status.code) == status, "\(String(buffer: answer.body))")
            #expect(answer.headers[.contentType] == "application/problem+json")
            #expect(answer.json["title"] as? String == "DrawUpContract failed")
            #expect(answer.json["status"] as? Int == status)
            #expect((answer.json["detail"] as? String)?.contains(detail) == true, "\(answer.json)")
            #expect(try Self.eventCount(server) == before)
        }
    }

    @Test func aBadSigningSessionIsRefusedWithTheNodesMessageAndWritesNothing() async throws {
        var configured = try TestServer()
        configured.nuts.signingMeans = [.employeeid]
        let server = configured
        try await server.run { client in
            try await Self.register(client)
            let message = try #require(try await Self.drawUp(client).json["message"] as? String)
            let forged = message.replacingOccurrences(of: "CareBears", with: "EvilCorp")
            let employee: [String: Any] = ["employer": Self.did, "employee": ["identifier": "481", "initials": "J", "familyName": "van Dijk"]]
            let cases: [([String: Any], String)] = [
                (["means": "dummy", "payload": message, "params": [:]], "unknown signing means"),
                (["means": "irma", "payload": message, "params": [:]], "unknown signing means"),
                (["means": "employeeid", "payload": "", "params": employee], "can not sign an empty message"),
                (["means": "employeeid", "payload": "I sign whatever", "params": employee], "invalid contract text: could not extract contract version, language and type"),
                (["means": "employeeid", "payload": forged, "params": employee], "not a contract drawn up for a registered organization"),
                (["means": "employeeid", "payload": message, "params": ["employee": employee["employee"]!]], "invalid session params: missing employer"),
                (["means": "employeeid", "payload": message, "params": ["employer": Self.did]], "invalid session params: missing employee"),
                (["means": "employeeid", "payload": message, "params": ["employer": Self.did, "employee": ["identifier": "481", "initials": "J"]]], "missing/invalid employee familyName"),
            ]
            let before = try Self.eventCount(server)
            for (body, detail) in cases {
                let answer = try await Self.send(client, .post, "/internal/auth/v1/signature/session", body)
                #expect(answer.status == .badRequest, "\(detail): \(String(buffer: answer.body))")
                #expect(answer.json["title"] as? String == "CreateSignSession failed")
                #expect((answer.json["detail"] as? String)?.hasPrefix("unable to create sign challenge: ") == true)
                #expect((answer.json["detail"] as? String)?.contains(detail) == true, "\(answer.json)")
            }
            #expect(try Self.eventCount(server) == before)
        }
    }

    @Test func aDummySessionLeadsToAnAccessTokenThatIntrospectsWithThePractitioner() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.register(client)
            let vp = try await Self.presentation(client)
            #expect(vp["type"] as? [String] == ["VerifiablePresentation", "DummyVerifiablePresentation"])

            let verified = try await Self.send(client, .put, "/internal/auth/v1/signature/verify", ["VerifiablePresentation": vp])
            #expect(verified.json["validity"] as? Bool == true, "\(verified.json)")
            #expect(verified.json["vpType"] as? String == "DummyVerifiablePresentation")
            let attributes = verified.json["issuerAttributes"] as? [String: Any]
            #expect(attributes?["familyname"] as? String == "Dummy" && attributes?["initials"] as? String == "I")
            #expect((verified.json["credentials"] as? [String: Any])?["legal_entity"] as? String == "CareBears")

            let token = try await Self.send(
                client, .post, "/internal/auth/v1/request-access-token",
                ["authorizer": "did:nuts:custodian", "requester": Self.did, "identity": vp, "service": "nuts-patient-transfer", "credentials": []])
            #expect(token.status == .ok, "\(String(buffer: token.body))")
            #expect(token.json["token_type"] as? String == "bearer" && token.json["expires_in"] as? Int == 60)
            let accessToken = try #require(token.json["access_token"] as? String)

            let introspected = try await Self.send(
                client, .post, "/internal/auth/v1/accesstoken/introspect", form: "token=\(accessToken)")
            #expect(introspected.json["active"] as? Bool == true, "\(introspected.json)")
            #expect(introspected.json["family_name"] as? String == "Dummy" && introspected.json["prefix"] as? String == "von")
            #expect(introspected.json["username"] as? String == "tester@example.com")
            #expect(introspected.json["assurance_level"] as? String == "low")
            #expect(introspected.json["service"] as? String == "nuts-patient-transfer")
            #expect(introspected.json["sub"] as? String == Self.did && introspected.json["iss"] as? String == "did:nuts:custodian")

            let ok = try await Self.send(client, .head, "/internal/auth/v1/accesstoken/verify", token: accessToken)
            #expect(ok.status == .ok)
            let bad = try await Self.send(client, .head, "/internal/auth/v1/accesstoken/verify", token: "garbage")
            #expect(bad.status == .forbidden)
            let unknown = try await Self.send(client, .post, "/internal/auth/v1/accesstoken/introspect", form: "token=garbage")
            #expect(String(buffer: unknown.body) == #"{"active":false}"#)

            // A token for another organisation than the one the contract names is refused.
            try await Self.register(client, id: "did:nuts:other", name: "Other")
            let mismatch = try await Self.send(
                client, .post, "/internal/auth/v1/request-access-token",
                ["authorizer": "did:nuts:custodian", "requester": "did:nuts:other", "identity": vp, "service": "x", "credentials": []])
            #expect(mismatch.status == .badRequest)
            #expect((mismatch.json["detail"] as? String)?.contains("legal entity mismatch") == true)

            // Replay equals the live projections after sessions and tokens.
            let report = try server.ledger.verify()
            #expect(report.projectionMismatches.isEmpty, "\(report.projectionMismatches)")
            #expect(report.chainBreak == nil)
        }
    }

    @Test func aTamperedOrOutOfWindowPresentationIsInvalid() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.register(client)
            let vp = try await Self.presentation(client)
            func validity(_ presentation: [String: Any], at checkTime: String? = nil) async throws -> Bool? {
                var body: [String: Any] = ["VerifiablePresentation": presentation]
                if let checkTime { body["checkTime"] = checkTime }
                let answer = try await Self.send(client, .put, "/internal/auth/v1/signature/verify", body)
                #expect(answer.status == .ok, "\(String(buffer: answer.body))")
                return answer.json["validity"] as? Bool
            }
            #expect(try await validity(vp) == true)
            var proof = try #require(vp["proof"] as? [String: Any])
            let challenge = try #require(proof["challenge"] as? String)
            proof["challenge"] = challenge.replacingOccurrences(of: "CareBears", with: "EvilCorp")
            var tampered = vp
            tampered["proof"] = proof
            #expect(try await validity(tampered) == false)
            var retyped = vp
            retyped["type"] = ["VerifiablePresentation", "NutsSelfSignedPresentation"]
            #expect(try await validity(retyped) == false)
            var forgedSignature = try #require(vp["proof"] as? [String: Any])
            forgedSignature["jws"] = (forgedSignature["jws"] as? String ?? "").dropLast(4) + "AAAA"
            var forged = vp
            forged["proof"] = forgedSignature
            #expect(try await validity(forged) == false)

            // The window: the contract was drawn up from now, for 2 hours.
            let contract = try SignedContract.parse(challenge)
            let from = RFC3339.string(unixMs: contract.validFromMs)
            #expect(try await validity(vp, at: from) == true)
            #expect(try await validity(vp, at: RFC3339.string(unixMs: contract.validFromMs - 1000)) == false)
            #expect(try await validity(vp, at: RFC3339.string(unixMs: contract.validToMs)) == true)
            #expect(try await validity(vp, at: RFC3339.string(unixMs: contract.validToMs + 1000)) == false)
            let badTime = try await Self.send(
                client, .put, "/internal/auth/v1/signature/verify", ["VerifiablePresentation": vp, "checkTime": "tomorrow"])
            #expect(badTime.status == .badRequest)
        }
    }

    @Test func anExpiredAccessTokenIsInactiveAndAPresentationPastItsContractGetsNoToken() async throws {
        let clock = TestClock.startingNow()
        let server = try TestServer(clock: clock.now)
        try await server.run { client in
            try await Self.register(client)
            let vp = try await Self.presentation(client)
            let body: [String: Any] = ["authorizer": "did:nuts:custodian", "requester": Self.did, "identity": vp, "service": "s", "credentials": []]
            let token = try #require(try await Self.send(client, .post, "/internal/auth/v1/request-access-token", body).json["access_token"] as? String)
            clock.advance(seconds: 66)
            let introspected = try await Self.send(client, .post, "/internal/auth/v1/accesstoken/introspect", form: "token=\(token)")
            #expect(String(buffer: introspected.body) == #"{"active":false}"#)
            #expect(try await Self.send(client, .head, "/internal/auth/v1/accesstoken/verify", token: token).status == .forbidden)
            clock.advance(seconds: 3 * 3600)
            let late = try await Self.send(client, .post, "/internal/auth/v1/request-access-token", body)
            #expect(late.status == .badRequest)
            #expect((late.json["detail"] as? String)?.contains("identity validation failed") == true, "\(late.json)")
        }
    }

    @Test func aReportedAccessMadeWithANutsTokenNamesThePractitionerAndTheirOrganisation() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.register(client)
            let vp = try await Self.presentation(client)
            let token = try #require(
                try await Self.send(
                    client, .post, "/internal/auth/v1/request-access-token",
                    ["authorizer": "did:nuts:custodian", "requester": Self.did, "identity": vp, "service": "s", "credentials": []]
                ).json["access_token"] as? String)
            let claims = try TestServer.claims(of: token)
            let jti = try #require(claims["jti"] as? String)
            let record: [String: Any] = [
                "event": ["code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM"], "action": "R",
                "occurred_at": "2026-11-30T10:00:00Z", "subject": ["id_type": AuditSettings.bsnIdType, "id": "999911120"],
                "authorization_protocol": "nuts-access-token:\(jti)",
            ]
            let reported = try await Self.send(client, .post, "/audit/access", record)
            #expect(reported.status == .created, "\(String(buffer: reported.body))")
            let page = try await Self.send(client, .get, "/audit/events?subject_id=999911120")
            let stored = try #require((page.json["records"] as? [[String: Any]])?.first)
            let user = stored["user"] as? [String: Any]
            #expect(user?["id"] as? String == "tester@example.com" && user?["name"] as? String == "I von Dummy")
            let organization = stored["organization"] as? [String: Any]
            #expect(organization?["id"] as? String == Self.did && organization?["name"] as? String == "CareBears")
            #expect((stored["authorization_protocol"] as? String)?.hasPrefix("EN:PractitionerLogin:v3") == true)

            var unknown = record
            unknown["authorization_protocol"] = "nuts-access-token:no-such-jti"
            let refused = try await Self.send(client, .post, "/audit/access", unknown)
            #expect(refused.status == .badRequest)
        }
    }

    @Test func internalEndpointsNeedTheAdminCredentialOrTheNutsInternalScope() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.register(client)
            let body: [String: Any] = ["type": "PractitionerLogin", "language": "EN", "version": "v3", "legalEntity": Self.did]
            let anonymous = try await Self.send(client, .put, "/internal/auth/v1/contract/drawup", body, token: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.contentType] == "application/problem+json")
            let other = try await server.registerClient(client, scopes: ["audit:read"])
            let otherToken = try #require(try await server.tokenRequest(client, other, ["grant_type": "client_credentials"]).json["access_token"] as? String)
            #expect(try await Self.send(client, .put, "/internal/auth/v1/contract/drawup", body, token: otherToken).status == .forbidden)
            let ehr = try await server.registerClient(client, scopes: ["nuts:internal"])
            let ehrToken = try #require(try await server.tokenRequest(client, ehr, ["grant_type": "client_credentials"]).json["access_token"] as? String)
            #expect(try await Self.send(client, .put, "/internal/auth/v1/contract/drawup", body, token: ehrToken).status == .ok)
        }
    }

    @Test func organisationsAreRegisteredChangedAndRemovedAsEvents() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.register(client)
            let encoded = Self.did.replacingOccurrences(of: ":", with: "%3A")
            #expect(try await Self.send(client, .get, "/admin/organizations/\(encoded)").json["name"] as? String == "CareBears")
            let again = try await Self.send(client, .post, "/admin/organizations", ["id": Self.did, "name": "X", "city": "Y"])
            #expect(again.status == .conflict)
            let changed = try await Self.send(client, .put, "/admin/organizations/\(Self.did)", ["name": "CareBears Zorg", "city": "CareTown"])
            #expect(changed.json["version"] as? Int == 2)
            #expect(try await Self.send(client, .delete, "/admin/organizations/\(Self.did)").status == .noContent)
            #expect(try await Self.send(client, .get, "/admin/organizations/\(Self.did)").status == .notFound)
            #expect(try await Self.send(client, .post, "/admin/organizations", ["id": "not-a-did", "name": "X", "city": "Y"]).status == .badRequest)
            let events = try server.ledger.events(stream: "organization/\(Self.did)", limit: 10)
            #expect(events.map(\.type) == ["OrganizationRegistered", "OrganizationChanged", "OrganizationRemoved"])
        }
    }
}
