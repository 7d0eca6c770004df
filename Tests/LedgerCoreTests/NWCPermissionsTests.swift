import Testing

@testable import LedgerCore

@Suite struct NWCPermissionsTests {
    @Test(arguments: [
        (
            ["send_payments"],
            [
                "execute_quote", "fetch_quote", "get_budget", "get_info", "lookup_user", "pay_invoice", "pay_keysend",
                "pay_to_address",
            ]
        ),
        (["read_balance", "pay_invoice"], ["get_balance", "get_budget", "get_info", "lookup_user", "pay_invoice"]),
        (["read_transactions"], ["get_budget", "get_info", "list_transactions", "lookup_invoice", "lookup_user"]),
        (["receive_payments", "receive_payments"], ["get_budget", "get_info", "lookup_user", "make_invoice"]),
        (["get_info"], ["get_budget", "get_info", "lookup_user"]),
    ])
    func groupsExpandAsUMAsServerDoesPlusTheAlwaysGrantedMethods(requested: [String], expected: [String]) throws {
        #expect(try NWCPermissions.expand(requested) == expected)
    }

    @Test func unknownOrMissingPermissionsAreRefusedByName() {
        #expect(throws: ValidationError(field: "permissions", reason: "Permissions are required.")) {
            try NWCPermissions.expand([])
        }
        do {
            _ = try NWCPermissions.expand(["pay_invoice", "fly_to_moon"])
            Issue.record("expected a refusal")
        } catch {
            #expect(error.reason.contains("\"fly_to_moon\""))
        }
    }
}
