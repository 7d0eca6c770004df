import Foundation
import LedgerCore
import Testing

@testable import LedgerStore

/// The trail's text is worked out from each event when it is read, so a change to the mapping
/// would rewrite every record already written, and `verify` could not see it (the table and a
/// replay would both hold no text). These are events of a payment ledger and the text the
/// version before (f2da162) stored for them, byte for byte: a change to `AuditMapping` that
/// alters a record fails here, and must be made as a new mapping that old events keep theirs.
@Suite struct AuditMappingGoldenTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var type: String
        var typeVersion: Int
        var stream: String
        var eventId: String
        var recordedAtMs: Int64
        var data: String
        var meta: String
        var record: String
        var testDescription: String { type }
    }

    static let stored: [Golden] = [
        Golden(
            type: "ClientRegistered", typeVersion: 1, stream: "client/demo-app", eventId: "01a22f63-554d-74ca-87b1-d02c20bb8ef0", recordedAtMs: 1796091368781,
            data: #"{"access_token_signing_alg":"ES256","client_id":"demo-app","id_token_signed_response_alg":"RS256","name":"Demo app","pkce":"required","public":false,"redirect_uris":["http://localhost:33388/callback"],"registered_at_ms":1796091368781,"scopes":["account:read","audit:read","audit:write","authz:check","balance:read","invoices:create","invoices:read","nuts:internal","openid","payments:send","transactions:read"],"secret_sha256":"233277ef1f08c5920bb6e18e5b143c437cd8019b783d13746c90147934120f6b"}"#,
            meta: #"{"action":"C","actor":{"id":"system:demo","role":"system"},"purpose":"demo clients","request_id":"demo","source":{"service_id":"grantledger"}}"#,
            record: #"{"action":"C","authorization_protocol":"client:demo-app","event":{"code":"ClientRegistered","display":"App registered","system":"https://grantledger.dev/audit/event"},"occurred_at":"2026-12-01T02:16:08.781Z","outcome":"success","purpose":"demo clients","request_id":"demo","subject":{"id":"client/demo-app","id_type":"ledger-stream"},"user":{"id":"system:demo","role":"system"}}"#),
        Golden(
            type: "ConnectionGranted", typeVersion: 2, stream: "connection/01a22f63-55a6-792e-a0ba-88d2d93940c4", eventId: "01a22f63-55a7-7df3-8ae1-0b15e7a81cb9", recordedAtMs: 1796091368871,
            data: #"{"budget":{"amount":1000000000000,"currency":"SAT","period":"never","window":"rolling"},"connection_id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","expires_at":1827627368,"granted_at_ms":1796091368871,"name":"UMA NWC connection","scopes":["execute_quote","fetch_quote","get_budget","get_info","lookup_user","pay_invoice","pay_keysend","pay_to_address"],"user_id":"soak-payer"}"#,
            meta: #"{"action":"C","actor":{"id":"user:soak-payer","role":"user"},"request_id":"947ee50a-f0e0-470f-ac33-f616e47d92ed","source":{"ip":"127.0.0.1","service_id":"grantledger"},"subject":{"id":"soak-payer","id_type":"user"}}"#,
            record: #"{"access_point":{"id":"127.0.0.1","type":"ip"},"action":"C","authorization_protocol":"grant:01a22f63-55a6-792e-a0ba-88d2d93940c4","event":{"code":"ConnectionGranted","display":"Grant created","system":"https://grantledger.dev/audit/event"},"occurred_at":"2026-12-01T02:16:08.871Z","outcome":"success","request_id":"947ee50a-f0e0-470f-ac33-f616e47d92ed","subject":{"id":"soak-payer","id_type":"user"},"user":{"id":"user:soak-payer","role":"user"}}"#),
        Golden(
            type: "TokenIssued", typeVersion: 1, stream: "connection/01a22f63-55a6-792e-a0ba-88d2d93940c4", eventId: "01a22f63-55a7-766c-8b50-94628d4e8667", recordedAtMs: 1796091368871,
            data: #"{"connection_id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","expires_at":1827627368,"issued_at_ms":1796091368871,"jti":"01a22f63-55a6-7ce9-a9df-f66248c6c124","kind":"uma_nwc","user_id":"soak-payer"}"#,
            meta: #"{"action":"C","actor":{"id":"user:soak-payer","role":"user"},"request_id":"947ee50a-f0e0-470f-ac33-f616e47d92ed","source":{"ip":"127.0.0.1","service_id":"grantledger"},"subject":{"id":"soak-payer","id_type":"user"}}"#,
            record: #"{"access_point":{"id":"127.0.0.1","type":"ip"},"action":"C","authorization_protocol":"grant:01a22f63-55a6-792e-a0ba-88d2d93940c4","event":{"code":"TokenIssued","display":"Token issued","system":"https://grantledger.dev/audit/event"},"occurred_at":"2026-12-01T02:16:08.871Z","outcome":"success","request_id":"947ee50a-f0e0-470f-ac33-f616e47d92ed","subject":{"id":"soak-payer","id_type":"user"},"user":{"id":"user:soak-payer","role":"user"}}"#),
        Golden(
            type: "SpendReserved", typeVersion: 2, stream: "spend/01a22f63-55be-7efc-9d5b-084f8d192eaf", eventId: "01a22f63-55be-7073-b490-9dd558f4bd84", recordedAtMs: 1796091368894,
            data: #"{"amount_msat":1000,"budget_anchor_ms":1796091368871,"budget_currency":"SAT","connection_id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","cycle":{"start_ms":1796091368871},"expires_at_ms":1796091488894,"fee_reserve_msat":0,"held_units":1000,"method":"pay_keysend","reserved_at_ms":1796091368894,"spend_id":"01a22f63-55be-7efc-9d5b-084f8d192eaf","user_id":"soak-payer"}"#,
            meta: #"{"action":"E","actor":{"id":"connection:01a22f63-55a6-792e-a0ba-88d2d93940c4","role":"app"},"on_behalf_of":"soak-payer","request_id":"694ce87b-e369-4966-bdcb-432369b6e1d0","source":{"ip":"127.0.0.1","service_id":"grantledger"},"subject":{"id":"soak-payer","id_type":"user"}}"#,
            record: #"{"access_point":{"id":"127.0.0.1","type":"ip"},"action":"E","authorization_protocol":"grant:01a22f63-55a6-792e-a0ba-88d2d93940c4","event":{"code":"SpendReserved","display":"Spend allowed (held)","system":"https://grantledger.dev/audit/event"},"occurred_at":"2026-12-01T02:16:08.894Z","outcome":"success","request_id":"694ce87b-e369-4966-bdcb-432369b6e1d0","responsible_user":{"id":"soak-payer","role":"user"},"subject":{"id":"soak-payer","id_type":"user"},"user":{"id":"connection:01a22f63-55a6-792e-a0ba-88d2d93940c4","role":"app"}}"#),
        Golden(
            type: "SpendSettled", typeVersion: 2, stream: "spend/01a22f63-55be-7efc-9d5b-084f8d192eaf", eventId: "01a22f63-55db-7f11-9b64-6aae9a3bf720", recordedAtMs: 1796091368923,
            data: #"{"amount_msat":1000,"budget_anchor_ms":1796091368871,"charged_units":1000,"connection_id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","cycle":{"start_ms":1796091368871},"fee_msat":0,"released_hold_units":1000,"settled_at_ms":1796091368923,"spend_id":"01a22f63-55be-7efc-9d5b-084f8d192eaf"}"#,
            meta: #"{"action":"E","actor":{"id":"connection:01a22f63-55a6-792e-a0ba-88d2d93940c4","role":"app"},"on_behalf_of":"soak-payer","request_id":"694ce87b-e369-4966-bdcb-432369b6e1d0","source":{"ip":"127.0.0.1","service_id":"grantledger"},"subject":{"id":"soak-payer","id_type":"user"}}"#,
            record: #"{"access_point":{"id":"127.0.0.1","type":"ip"},"action":"E","authorization_protocol":"grant:01a22f63-55a6-792e-a0ba-88d2d93940c4","event":{"code":"SpendSettled","display":"Spend settled","system":"https://grantledger.dev/audit/event"},"occurred_at":"2026-12-01T02:16:08.923Z","outcome":"success","request_id":"694ce87b-e369-4966-bdcb-432369b6e1d0","responsible_user":{"id":"soak-payer","role":"user"},"subject":{"id":"soak-payer","id_type":"user"},"user":{"id":"connection:01a22f63-55a6-792e-a0ba-88d2d93940c4","role":"app"}}"#),
        Golden(
            type: "AuditLogRead", typeVersion: 1, stream: "audit-reads", eventId: "01a23041-efd1-79e5-b36f-23f00382e7f3", recordedAtMs: 1796105957329,
            data: #"{"count":122769,"query":"export format=ndjson","read_at_ms":1796105957326}"#,
            meta: #"{"action":"R","actor":{"id":"operator:root","role":"operator"},"request_id":"01a23041-efcf-78b7-8be9-137af197b9af","source":{"service_id":"grantledger"}}"#,
            record: #"{"action":"R","authorization_protocol":"audit-reads","event":{"code":"audit-log-read","display":"Audit log read","system":"https://grantledger.dev/audit/event"},"occurred_at":"2026-12-01T06:19:17.329Z","outcome":"success","query":"export format=ndjson","request_id":"01a23041-efcf-78b7-8be9-137af197b9af","subject":{"id":"audit-reads","id_type":"ledger-stream"},"user":{"id":"operator:root","role":"operator"}}"#),
    ]

    @Test(arguments: stored)
    func theRecordWorkedOutIsTheTextTheVersionBeforeStored(_ golden: Golden) throws {
        let event = RecordedEvent(
            seq: 1, eventId: golden.eventId, idempotencyKey: nil, stream: golden.stream, streamVersion: 1,
            type: golden.type, typeVersion: golden.typeVersion, data: Data(golden.data.utf8), meta: Data(golden.meta.utf8),
            recordedAtMs: golden.recordedAtMs, prevHash: EventHasher.genesis)
        #expect(try AuditRecordsProjection.recordJSON(of: event) == golden.record)
    }
}
