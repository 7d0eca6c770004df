import LedgerCore
import Testing

@Suite struct BudgetDefinitionTests {
    @Test(arguments: [
        ("50/never", BudgetDefinition(amount: 50, currency: "SAT", period: .never)),
        ("50", BudgetDefinition(amount: 50, currency: "SAT", period: .never)),
        ("50000/monthly", BudgetDefinition(amount: 50_000, currency: "SAT", period: .monthly)),
        ("1000.USD/daily", BudgetDefinition(amount: 1000, currency: "USD", period: .daily)),
        ("1000.usd/Weekly", BudgetDefinition(amount: 1000, currency: "USD", period: .weekly)),
        ("7.SAT/yearly", BudgetDefinition(amount: 7, currency: "SAT", period: .yearly)),
        ("7/none", BudgetDefinition(amount: 7, currency: "SAT", period: .never)),
    ])
    func parsesUMABudgetStrings(text: String, expected: BudgetDefinition) throws {
        #expect(try BudgetDefinition.parse(text) == expected)
    }

    @Test(arguments: [
        "", "abc", "-5/daily", "0/daily", "5/fortnightly", "5.U$D/daily", "5.TOOLONGCUR", "1.5/daily",
        "99999999999999999999", "1000000000000000001",
    ])
    func refusesMalformedBudgets(text: String) {
        #expect(throws: ValidationError.self) { try BudgetDefinition.parse(text) }
    }

    @Test func satBudgetsConvertToMsatAndFiatOnesDoNot() throws {
        #expect(try BudgetDefinition.parse("50/never").limitMsat == 50_000)
        #expect(try BudgetDefinition.parse("50.USD/never").limitMsat == nil)
    }
}

@Suite struct TimeOrderedIDTests {
    @Test func layoutFollowsRFC9562Version7() {
        let id = TimeOrderedID.make(unixMs: 0x0190_1234_5678, random: (.max, .max))
        #expect(id == "01901234-5678-7fff-bfff-ffffffffffff")
    }

    @Test func laterMillisecondsSortLater() {
        let earlier = TimeOrderedID.make(unixMs: 1_800_000_000_000, random: (.max, .max))
        let later = TimeOrderedID.make(unixMs: 1_800_000_000_001, random: (0, 0))
        #expect(earlier < later)
    }
}
