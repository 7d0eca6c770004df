import GRDB
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// How the OBP look-ups the writer makes for every check read their table: by a key's search,
/// however many grants an account has.
@Suite struct ObpProjectionPlansTests {
    @Test func aUsersLiveAccessesToAnAccountAreSearchedByUserNotByTheAccountsLiveGrants() async throws {
        let test = try TestLedger()
        let plan = try await test.ledger.database.write { db in
            // Grants on one account by many users, a few of them this user's, one revoked.
            for user in 0..<200 {
                for view in ["owner", "auditor"] where user % 50 == 0 || view == "owner" {
                    try db.execute(
                        sql: """
                            INSERT INTO obp_account_access (id, bank_id, account_id, view_id, user_id, granted_seq, granted_at_ms,
                              granted_by, revoked_seq)
                            VALUES (?, 'bank', 'account', ?, ?, ?, 0, 'admin', ?)
                            """,
                        arguments: ["\(view)-\(user)", view, "user-\(user)", user * 2 + (view == "owner" ? 0 : 1) + 1,
                            user == 50 && view == "auditor" ? 1_000 : nil])
                }
            }
            let accesses = try ObpProjection.accesses(userId: "user-50", bankId: "bank", accountId: "account", db)
            #expect(accesses.map(\.viewId) == ["owner"])
            #expect(try ObpProjection.accesses(userId: "user-0", bankId: "bank", accountId: "account", db).map(\.viewId)
                == ["auditor", "owner"])
            return try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN \(ObpProjection.userAccessesSQL)", arguments: ["user-50", "bank", "account"]
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX obp_account_access_user (user_id=? AND bank_id=? AND account_id=?)") }, "\(plan)")
    }
}
