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
        ("50000/monthly;max=5000", BudgetDefinition(amount: 50_000, period: .monthly, maxPerPayment: 5_000)),
        ("1000.USD/daily;MAX=250", BudgetDefinition(amount: 1000, currency: "USD", period: .daily, maxPerPayment: 250)),
        ("100;max=100", BudgetDefinition(amount: 100, maxPerPayment: 100)),
    ])
    func parsesUMABudgetStrings(text: String, expected: BudgetDefinition) throws {
        #expect(try BudgetDefinition.parse(text) == expected)
    }

    @Test(arguments: [
        "", "abc", "-5/daily", "0/daily", "5/fortnightly", "5.U$D/daily", "5.TOOLONGCUR", "1.5/daily",
        "99999999999999999999", "1000000000000000001", "50/daily;max=0", "50/daily;max=", "50/daily;max=-1",
        "50/daily;min=5", "50/daily;max=1.5", "50/daily;max=1000000000000000001", ";max=5",
    ])
    func refusesMalformedBudgets(text: String) {
        #expect(throws: ValidationError.self) { try BudgetDefinition.parse(text) }
    }

    @Test func satBudgetsConvertToMsatAndFiatOnesDoNot() throws {
        #expect(try BudgetDefinition.parse("50/never").limitMsat == 50_000)
        #expect(try BudgetDefinition.parse("50.USD/never").limitMsat == nil)
        #expect(try BudgetDefinition.parse("50/never;max=7").maxPerPaymentUnits == 7_000)
        #expect(try BudgetDefinition.parse("50.USD/never;max=7").maxPerPaymentUnits == 7)
        #expect(try BudgetDefinition.parse("50.MSAT/never;max=7").maxPerPaymentUnits == 7)
    }

    @Test func aBudgetWritesItselfBackInTheFormItWasParsedFrom() throws {
        for text in ["50000.SAT/monthly;max=5000", "1000.USD/daily", "7.SAT/never"] {
            #expect(try BudgetDefinition.parse(text).description == text)
            #expect(try BudgetDefinition.parse(BudgetDefinition.parse(text).description) == BudgetDefinition.parse(text))
        }
    }

    @Test func aCapChangeKeepsUsageLikeAnAmountChange() throws {
        let before = try BudgetDefinition.parse("100/daily")
        #expect(try BudgetDefinition.parse("100/daily;max=10").keepsUsage(from: before))
        #expect(try !BudgetDefinition.parse("100/weekly;max=10").keepsUsage(from: before))
    }
}
