import Foundation
import LedgerTestSupport
import Testing

@testable import LedgerCore

/// The Nuts node's login contracts (auth v1): the text it draws up, character for character; the
/// text read back; the validity window; the `validDuration` grammar; the template lookup.
@Suite struct NutsContractTests {
    static let en = ContractTemplate.enPractitionerLoginV3
    static let nl = ContractTemplate.nlBehandelaarLoginV3
    static let amsterdam = ContractTemplate.amsterdamTimeZone

    static let hourMs: Int64 = 3_600_000
    /// 2026-11-30T09:00:00Z, 10:00 in Amsterdam (CET).
    static let careBearsFromMs: Int64 = 1_796_029_200_000
    /// 2020-01-01T01:01:01Z, the node's own `template_test.go` input.
    static let nodeTestFromMs: Int64 = 1_577_840_461_000

    static let careBearsEN =
        "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. This declaration is valid from Monday, 30 November 2026 10:00:00 until Monday, 30 November 2026 12:00:00."

    struct RenderCase: Sendable, CustomTestStringConvertible {
        let name: String
        let template: ContractTemplate
        let legalEntity: String
        let city: String
        let validFromMs: Int64
        let validToMs: Int64
        let expected: String
        var testDescription: String { name }
    }

    static let renderCases: [RenderCase] = [
        RenderCase(
            name: "EN worked example, CET", template: en, legalEntity: "CareBears", city: "CareTown",
            validFromMs: careBearsFromMs, validToMs: careBearsFromMs + 2 * hourMs, expected: careBearsEN),
        RenderCase(
            name: "NL worked example, CET", template: nl, legalEntity: "CareBears", city: "CareTown",
            validFromMs: careBearsFromMs, validToMs: careBearsFromMs + 2 * hourMs,
            expected:
                "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van CareBears te CareTown. Deze verklaring is geldig van maandag, 30 november 2026 10:00:00 tot maandag, 30 november 2026 12:00:00."
        ),
        RenderCase(
            name: "node test vector NL", template: nl, legalEntity: "Zorg & Zo", city: "A & B",
            validFromMs: nodeTestFromMs, validToMs: nodeTestFromMs + hourMs,
            expected:
                "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van Zorg & Zo te A & B. Deze verklaring is geldig van woensdag, 1 januari 2020 02:01:01 tot woensdag, 1 januari 2020 03:01:01."
        ),
        RenderCase(
            name: "node test vector EN", template: en, legalEntity: "Zorg & Zo", city: "A & B",
            validFromMs: nodeTestFromMs, validToMs: nodeTestFromMs + hourMs,
            expected:
                "EN:PractitionerLogin:v3 I hereby declare to act on behalf of Zorg & Zo located in A & B. This declaration is valid from Wednesday, 1 January 2020 02:01:01 until Wednesday, 1 January 2020 03:01:01."
        ),
        // 2026-07-01T10:00:00Z is 12:00 in Amsterdam: CEST, +02:00.
        RenderCase(
            name: "EN summer, CEST", template: en, legalEntity: "CareBears", city: "CareTown",
            validFromMs: 1_782_900_000_000, validToMs: 1_782_900_000_000 + 2 * hourMs,
            expected:
                "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. This declaration is valid from Wednesday, 1 July 2026 12:00:00 until Wednesday, 1 July 2026 14:00:00."
        ),
        RenderCase(
            name: "NL summer, CEST", template: nl, legalEntity: "CareBears", city: "CareTown",
            validFromMs: 1_782_900_000_000, validToMs: 1_782_900_000_000 + 2 * hourMs,
            expected:
                "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van CareBears te CareTown. Deze verklaring is geldig van woensdag, 1 juli 2026 12:00:00 tot woensdag, 1 juli 2026 14:00:00."
        ),
        // 2026-03-05T08:00:00Z: a single-digit day, no leading zero; the hour keeps its zero.
        RenderCase(
            name: "NL single-digit day", template: nl, legalEntity: "Huisartsen 't Hoekje", city: "'s-Hertogenbosch",
            validFromMs: 1_772_697_600_000, validToMs: 1_772_697_600_000 + hourMs / 2,
            expected:
                "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van Huisartsen 't Hoekje te 's-Hertogenbosch. Deze verklaring is geldig van donderdag, 5 maart 2026 09:00:00 tot donderdag, 5 maart 2026 09:30:00."
        ),
        // 2026-12-31T23:30:00Z is already the new year in Amsterdam; milliseconds are dropped.
        RenderCase(
            name: "EN across the year in local time", template: en, legalEntity: "CareBears", city: "CareTown",
            validFromMs: 1_798_759_800_999, validToMs: 1_798_759_800_999 + hourMs,
            expected:
                "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. This declaration is valid from Friday, 1 January 2027 00:30:00 until Friday, 1 January 2027 01:30:00."
        ),
    ]

    @Test(arguments: renderCases)
    func renderingMatchesTheNodeCharacterForCharacter(_ testCase: RenderCase) {
        let text = testCase.template.render(
            legalEntity: testCase.legalEntity, city: testCase.city, validFromMs: testCase.validFromMs,
            validToMs: testCase.validToMs, timeZone: Self.amsterdam)
        #expect(text == testCase.expected)
    }

    @Test func renderingDefaultsToAmsterdamTime() {
        let text = Self.en.render(
            legalEntity: "CareBears", city: "CareTown", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs + 2 * Self.hourMs)
        #expect(text == Self.careBearsEN)
    }

    @Test func renderingUsesTheGivenTimeZone() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let text = Self.en.render(
            legalEntity: "CareBears", city: "CareTown", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs + 2 * Self.hourMs, timeZone: utc)
        #expect(text.hasSuffix("valid from Monday, 30 November 2026 09:00:00 until Monday, 30 November 2026 11:00:00."))
    }

    @Test func valuesThatLookLikePlaceholdersAreInsertedVerbatim() {
        let text = Self.en.render(
            legalEntity: "{{valid_to}}", city: "<b>{{{legal_entity}}}</b>", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs + 2 * Self.hourMs)
        #expect(
            text
                == "EN:PractitionerLogin:v3 I hereby declare to act on behalf of {{valid_to}} located in <b>{{{legal_entity}}}</b>. This declaration is valid from Monday, 30 November 2026 10:00:00 until Monday, 30 November 2026 12:00:00."
        )
    }

    @Test func theV1TemplateRendersItsMissingActingPartyEmptyAsMustacheDoes() {
        let text = ContractTemplate.nlBehandelaarLoginV1.render(
            legalEntity: "CareBears", city: "CareTown", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs + 2 * Self.hourMs)
        #expect(
            text
                == "NL:BehandelaarLogin:v1 Ondergetekende geeft toestemming aan  om namens CareBears en ondergetekende het Nuts netwerk te bevragen. Deze toestemming is geldig van maandag, 30 november 2026 10:00:00 tot maandag, 30 november 2026 12:00:00."
        )
    }

    // MARK: Reading back

    /// Winter, summer, the spring-forward night either side of the gap, the autumn night before the
    /// repeated hour, a leap day, and milliseconds that the text cannot carry.
    static let roundTripFromMs: [Int64] = [
        1_796_029_200_000, 1_782_900_000_000, 1_774_744_200_000, 1_774_746_000_000, 1_792_884_600_000,
        1_709_208_000_000, 1_577_840_461_999,
    ]

    @Test(arguments: [en, nl], roundTripFromMs)
    func aRenderedContractReadsBackToTheSameEntityCityAndSeconds(template: ContractTemplate, validFromMs: Int64) throws
    {
        let validToMs = validFromMs + 2 * Self.hourMs
        let text = template.render(
            legalEntity: "Zorg & Zo B.V.", city: "Den Haag", validFromMs: validFromMs, validToMs: validToMs)
        let contract = try SignedContract.parse(text)
        #expect(contract.template == template)
        #expect(contract.legalEntity == "Zorg & Zo B.V.")
        #expect(contract.city == "Den Haag")
        #expect(contract.validFromMs == validFromMs / 1000 * 1000)
        #expect(contract.validToMs == validToMs / 1000 * 1000)
        #expect(text.contains(contract.validFromText) && text.contains(contract.validToText))
    }

    @Test func theWorkedExampleReadsBackWithItsDatesAsWritten() throws {
        let contract = try SignedContract.parse(Self.careBearsEN, timeZone: Self.amsterdam)
        #expect(contract.template == Self.en)
        #expect(contract.validFromText == "Monday, 30 November 2026 10:00:00")
        #expect(contract.validToText == "Monday, 30 November 2026 12:00:00")
        #expect(contract.validFromMs == Self.careBearsFromMs)
        #expect(contract.validToMs == Self.careBearsFromMs + 2 * Self.hourMs)
    }

    /// 02:30 happens twice on 2026-10-25 in Amsterdam; Go's `time.Date` takes the second (CET), so do we.
    @Test func theRepeatedAutumnHourReadsAsTheSecondOneAsGoDoes() throws {
        let text =
            "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van CareBears te CareTown. Deze verklaring is geldig van zondag, 25 oktober 2026 02:30:00 tot zondag, 25 oktober 2026 04:30:00."
        let contract = try SignedContract.parse(text)
        #expect(contract.validFromMs == 1_792_891_800_000)  // 01:30Z
        #expect(contract.validToMs == 1_792_899_000_000)  // 03:30Z
    }

    /// The node reads dates with Dutch tables that also know the English names, in any template.
    @Test func englishAndDutchNamesReadBackInEitherTemplateInAnyCase() throws {
        let text =
            "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. This declaration is valid from maandag, 30 november 2026 10:00:00 until MONDAY, 30 NOVEMBER 2026 12:00:00."
        let contract = try SignedContract.parse(text)
        #expect(contract.validFromMs == Self.careBearsFromMs)
        #expect(contract.validToMs == Self.careBearsFromMs + 2 * Self.hourMs)
    }

    /// Go's greedy groups: the last ` located in ` splits entity from city, as on the node.
    @Test func anEntityContainingTheSeparatorReadsBackGreedilyAsOnTheNode() throws {
        let text = Self.en.render(
            legalEntity: "Care located in Bears", city: "CareTown", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs + Self.hourMs)
        let contract = try SignedContract.parse(text)
        #expect(contract.legalEntity == "Care located in Bears")
        #expect(contract.city == "CareTown")
        let twice = Self.en.render(
            legalEntity: "Care", city: "Bears located in CareTown", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs + Self.hourMs)
        let greedy = try SignedContract.parse(twice)
        #expect(greedy.legalEntity == "Care located in Bears")
        #expect(greedy.city == "CareTown")
    }

    static let careBearsNL =
        "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van CareBears te CareTown. Deze verklaring is geldig van maandag, 30 november 2026 10:00:00 tot maandag, 30 november 2026 12:00:00."
    static let enHead = "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. "

    static let badTexts: [(String, ContractError.Kind, String)] = [
        ("", .badFormat, "could not extract contract version, language and type"),
        ("I hereby declare", .badFormat, "could not extract contract version, language and type"),
        ("EN:PractitionerLogin:3 I hereby", .badFormat, "could not extract contract version, language and type"),
        ("EN\n:PractitionerLogin:v3", .badFormat, "could not extract contract version, language and type"),
        (
            "XX:T:v9 anything", .notFound,
            "could not find contract template for language 'XX', type 'T' and version 'v9'"
        ),
        (
            "EN:PractitionerLogin:v1 I hereby declare", .notFound,
            "could not find contract template for language 'EN', type 'PractitionerLogin' and version 'v1'"
        ),
        (
            "en:PractitionerLogin:v3 I hereby declare", .notFound,
            "could not find contract template for language 'en', type 'PractitionerLogin' and version 'v3'"
        ),
        (
            "NL:BehandelaarLogin:v2 Hierbij", .notFound,
            "could not find contract template for language 'NL', type 'BehandelaarLogin' and version 'v2'"
        ),
        // The type runs to the last `:v<digits>` on the line, as Go's greedy `(.+)` does.
        (
            "EN:PractitionerLogin:v3 on behalf of X:v9", .notFound,
            "could not find contract template for language 'EN', type 'PractitionerLogin:v3 on behalf of X' and version 'v9'"
        ),
        (
            "EN:PractitionerLogin:v3 I hereby declare nothing.", .badFormat,
            "could not match the contract template regex"
        ),
        (String(careBearsEN.dropLast()), .badFormat, "could not match the contract template regex"),
        (careBearsEN + " ", .badFormat, "could not match the contract template regex"),
        ("x" + careBearsEN, .badFormat, "could not extract contract version, language and type"),
        (
            careBearsEN.replacingOccurrences(of: "CareBears", with: "Care\nBears"), .badFormat,
            "could not match the contract template regex"
        ),
        (
            careBearsEN.replacingOccurrences(of: "CareTown. This", with: "CareTown! This"), .badFormat,
            "could not match the contract template regex"
        ),
        (
            ContractTemplate.nlBehandelaarLoginV1.render(
                legalEntity: "CareBears", city: "", validFromMs: careBearsFromMs, validToMs: careBearsFromMs + 1),
            .badFormat, "could not match the contract template regex"
        ),
        // The prefix alone picks the template: NL has no PractitionerLogin.
        (
            "NL" + careBearsEN.dropFirst(2), .notFound,
            "could not find contract template for language 'NL', type 'PractitionerLogin' and version 'v3'"
        ),
        (
            enHead
                + "This declaration is valid from Someday, 30 November 2026 10:00:00 until Monday, 30 November 2026 12:00:00.",
            .badFormat, "unable to parse [valid_from]: invalid time string [Someday, 30 November 2026 10:00:00]"
        ),
        (
            enHead
                + "This declaration is valid from Tuesday, 30 November 2026 10:00:00 until Monday, 30 November 2026 12:00:00.",
            .badFormat, "unable to parse [valid_from]: invalid time string [Tuesday, 30 November 2026 10:00:00]"
        ),
        (
            enHead
                + "This declaration is valid from Monday, 30 November 2026 10:00:00 until Monday, 31 November 2026 12:00:00.",
            .badFormat, "unable to parse [valid_to]: invalid time string [Monday, 31 November 2026 12:00:00]"
        ),
        (
            enHead
                + "This declaration is valid from Monday, 30 November 2026 24:00:00 until Monday, 30 November 2026 12:00:00.",
            .badFormat, "unable to parse [valid_from]: invalid time string [Monday, 30 November 2026 24:00:00]"
        ),
        (
            enHead
                + "This declaration is valid from Monday, 30 November 2026 10:0:00 until Monday, 30 November 2026 12:00:00.",
            .badFormat, "unable to parse [valid_from]: invalid time string [Monday, 30 November 2026 10:0:00]"
        ),
        (
            enHead
                + "This declaration is valid from 2026-11-30T10:00:00+01:00 until Monday, 30 November 2026 12:00:00.",
            .badFormat, "unable to parse [valid_from]: invalid time string [2026-11-30T10:00:00+01:00]"
        ),
        (
            enHead
                + "This declaration is valid from Monday, 30 November 2026 10:00:00 until Monday, 30 November 2026 12:00:00. Or later.",
            .badFormat,
            "unable to parse [valid_to]: invalid time string [Monday, 30 November 2026 12:00:00. Or later]"
        ),
        (
            careBearsNL.replacingOccurrences(of: "maandag, 30 november 2026 12", with: "maandag, 30 novembre 2026 12"),
            .badFormat, "unable to parse [valid_to]: invalid time string [maandag, 30 novembre 2026 12:00:00]"
        ),
        (
            "EN:PractitionerLogin:v3 " + String(repeating: "a", count: 2_025), .badFormat,
            "contract text is too long: at most 2048 bytes"
        ),
    ]

    @Test(arguments: badTexts)
    func aBadContractTextIsRefusedByItsFirstFailingStep(text: String, kind: ContractError.Kind, message: String) {
        #expect(throws: ContractError(kind: kind, message: message)) { try SignedContract.parse(text) }
    }

    @Test func aTextOfExactlyTheLimitIsRead() throws {
        let padding = SignedContract.textBytesMax - Self.careBearsEN.utf8.count
        let entity = "CareBears" + String(repeating: "e", count: padding)
        let text = Self.en.render(
            legalEntity: entity, city: "CareTown", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs + 2 * Self.hourMs)
        #expect(text.utf8.count == SignedContract.textBytesMax)
        #expect(try SignedContract.parse(text).legalEntity == entity)
        #expect(throws: ContractError(kind: .badFormat, message: "contract text is too long: at most 2048 bytes")) {
            try SignedContract.parse(
                Self.en.render(
                    legalEntity: entity + "é", city: "CareTown", validFromMs: Self.careBearsFromMs,
                    validToMs: Self.careBearsFromMs + 2 * Self.hourMs))
        }
    }

    /// Each separator in a block of its own and no final period: Swift Regex took over 6 s of CPU to
    /// refuse this 2 KB text; the linear match refuses it at once (and would be refused the same way).
    /// The bound is on this thread's CPU time, not wall time: a full suite run kept this test
    /// waiting for a pool thread for over a minute, and a `.timeLimit` counted that wait.
    @Test func aTextFullOfSeparatorsIsRefusedWithoutBacktracking() throws {
        var text = "EN:PractitionerLogin:v3 I hereby declare to act on behalf of "
        for _ in 0..<50 { text += "x located in " }
        for _ in 0..<20 { text += "x. This declaration is valid from " }
        while text.utf8.count + 8 < SignedContract.textBytesMax { text += "x until " }
        let (cpuTime, outcome) = ThreadCPUTime.measure { Result { try SignedContract.parse(text) } }
        #expect(throws: ContractError(kind: .badFormat, message: "could not match the contract template regex")) {
            try outcome.get()
        }
        #expect(cpuTime < .milliseconds(500))
    }

    /// The linear match reads exactly what the node's regexp (dots escaped, whole text) captures,
    /// greedy groups included, over some 5,000 texts per language built to confuse it.
    @Test(arguments: [en, nl])
    func theLinearMatchCapturesWhatTheTemplateRegexCaptures(template: ContractTemplate) throws {
        let (head, separators, pattern) =
            template.language == "EN"
            ? (
                "EN:PractitionerLogin:v3 I hereby declare to act on behalf of",
                [" located in ", ". This declaration is valid from ", " until "],
                #"EN:PractitionerLogin:v3 I hereby declare to act on behalf of (.+) located in (.+)\. This declaration is valid from (.+) until (.+)\."#
            )
            : (
                "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van",
                [" te ", ". Deze verklaring is geldig van ", " tot "],
                #"NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van (.+) te (.+)\. Deze verklaring is geldig van (.+) tot (.+)\."#
            )
        let regex = try Regex(pattern)
        // Short texts of loose pieces (mostly no match), then the template's shape with each value
        // drawn from fillers that hold separators, periods, nothing or a non-ASCII letter.
        let pieces = separators + ["x", ".", " ", "é"]
        var middles = [""]
        var frontier = [""]
        for _ in 0..<4 {
            frontier = frontier.flatMap { prefix in pieces.map { prefix + $0 } }
            middles += frontier
        }
        let fillers = ["", "x", "é.", "x\(separators[0])y", "x\(separators[1])y", "x\(separators[2])y", "x."]
        for a in fillers {
            for b in fillers {
                for c in fillers {
                    for d in fillers { middles.append(a + separators[0] + b + separators[1] + c + separators[2] + d) }
                }
            }
        }
        var matched = 0
        for middle in middles {
            let text = head + " " + middle + "."
            let expected = text.wholeMatch(of: regex).map { match in
                (1...4).map { match.output[$0].substring.map(String.init) ?? "" }
            }
            let values = template.values(in: text).map { values in template.templateAttributes.map { values[$0] ?? "" }
            }
            #expect(values == expected, "\(text)")
            if expected != nil { matched += 1 }
        }
        #expect(matched >= 6 * 6 * 6 * 6)
    }

    // MARK: Validity window

    /// Offsets from valid_from (10:00) for a window that ends at valid_to (12:00): both ends count.
    @Test(
        arguments: [
            (-1_000, "invalid period: contract is not yet valid"), (-1, "invalid period: contract is not yet valid"),
            (0, nil), (3_600_000, nil), (7_200_000, nil), (7_200_001, "invalid period: contract is expired"),
            (7_201_000, "invalid period: contract is expired"),
        ] as [(Int64, String?)])
    func theWindowIncludesValidFromAndValidTo(offsetMs: Int64, message: String?) throws {
        let contract = try SignedContract.parse(Self.careBearsEN)
        let atMs = Self.careBearsFromMs + offsetMs
        if let message {
            #expect(throws: ContractError(kind: .invalidPeriod, message: message)) { try contract.check(atMs: atMs) }
        } else {
            #expect(throws: Never.self) { try contract.check(atMs: atMs) }
        }
    }

    /// A reversed period is named first, whatever the time asked about, as the node orders its checks.
    @Test(arguments: [1_796_029_200_000, 1_796_036_400_000, 0] as [Int64])
    func aReversedPeriodIsReportedBeforeTheTimeIsChecked(atMs: Int64) throws {
        let reversed = Self.en.render(
            legalEntity: "CareBears", city: "CareTown", validFromMs: Self.careBearsFromMs + 2 * Self.hourMs,
            validToMs: Self.careBearsFromMs)
        let contract = try SignedContract.parse(reversed)
        #expect(
            throws: ContractError(
                kind: .invalidPeriod, message: "invalid period: [valid_from] must become before [valid_to]")
        ) { try contract.check(atMs: atMs) }
    }

    @Test func anInstantPeriodIsValidAtItsOneMoment() throws {
        let text = Self.nl.render(
            legalEntity: "CareBears", city: "CareTown", validFromMs: Self.careBearsFromMs,
            validToMs: Self.careBearsFromMs)
        let contract = try SignedContract.parse(text)
        #expect(throws: Never.self) { try contract.check(atMs: Self.careBearsFromMs) }
        #expect(throws: ContractError(kind: .invalidPeriod, message: "invalid period: contract is expired")) {
            try contract.check(atMs: Self.careBearsFromMs + 1)
        }
    }

    // MARK: validDuration

    @Test(
        arguments: [
            ("2h", 7_200_000), ("30m", 1_800_000), ("1h30m", 5_400_000), ("1.5h", 5_400_000), ("90s", 90_000),
            ("+1h", 3_600_000), ("24h", 86_400_000), ("23h59m60s", 86_400_000), ("1440m", 86_400_000), (".5s", 500),
            ("1.s", 1_000), ("0.001s", 1), ("1.0001s", 1_000), ("1m1m", 120_000), ("0h1s", 1_000),
        ] as [(String, Int64)])
    func aDurationInSecondsMinutesOrHoursIsRead(text: String, durationMs: Int64) throws {
        #expect(try ValidDuration.parse(text) == durationMs)
    }

    @Test(arguments: [
        ("", #"time: invalid duration """#),
        ("abc", #"time: invalid duration "abc""#),
        ("15 minutes", #"time: unknown unit " minutes" in duration "15 minutes""#),
        ("1d", #"time: unknown unit "d" in duration "1d""#),
        ("500ms", #"time: unknown unit "ms" in duration "500ms""#),
        ("2H", #"time: unknown unit "H" in duration "2H""#),
        ("1µs", #"time: unknown unit "\xc2\xb5s" in duration "1\xc2\xb5s""#),
        ("1h\"", #"time: unknown unit "h\"" in duration "1h\"""#),
        ("1", #"time: missing unit in duration "1""#),
        ("1h30", #"time: missing unit in duration "1h30""#),
        (".h", #"time: invalid duration ".h""#),
        ("-", #"time: invalid duration "-""#),
        ("h", #"time: invalid duration "h""#),
        (" 1h", #"time: invalid duration " 1h""#),
        ("99999999999999999999h", #"time: invalid duration "99999999999999999999h""#),
        ("3000000h", #"time: invalid duration "3000000h""#),
        ("-1h", #"duration "-1h" must be more than 0s and at most 24h"#),
        ("0", #"duration "0" must be more than 0s and at most 24h"#),
        ("-0", #"duration "-0" must be more than 0s and at most 24h"#),
        ("0s", #"duration "0s" must be more than 0s and at most 24h"#),
        ("0.0001s", #"duration "0.0001s" must be more than 0s and at most 24h"#),
        ("24h1s", #"duration "24h1s" must be more than 0s and at most 24h"#),
        ("25h", #"duration "25h" must be more than 0s and at most 24h"#),
        ("2562047h", #"duration "2562047h" must be more than 0s and at most 24h"#),
        (String(repeating: "1", count: 32) + "s", "duration is too long: at most 32 bytes"),
    ])
    func aBadDurationIsRefusedWithGoOrOurMessage(text: String, message: String) {
        #expect(throws: ContractError(kind: .badFormat, message: message)) { try ValidDuration.parse(text) }
    }

    // MARK: Lookup

    @Test(
        arguments: [
            ("PractitionerLogin", "EN", "v3", en), ("PractitionerLogin", "EN", "", en),
            ("PractitionerLogin", "EN", nil, en),
            ("BehandelaarLogin", "NL", "v3", nl), ("BehandelaarLogin", "NL", nil, nl),
            ("BehandelaarLogin", "NL", "v1", ContractTemplate.nlBehandelaarLoginV1),
            ("PractitionerLogin", "EN", "v1", nil), ("BehandelaarLogin", "NL", "v2", nil),
            ("PractitionerLogin", "en", "v3", nil), ("PractitionerLogin", "NL", "v3", nil),
            ("BehandelaarLogin", "EN", "v3", nil), ("PractitionerLogin", "", "v3", nil),
            ("practitionerlogin", "EN", "v3", nil), ("PractitionerLogin", "EN", "V3", nil),
            ("PractitionerLogin", "EN", " v3", nil), ("", "", nil, nil),
        ] as [(String, String, String?, ContractTemplate?)])
    func aTemplateIsFoundOnlyByItsExactTypeLanguageAndVersion(
        type: String, language: String, version: String?, expected: ContractTemplate?
    ) {
        #expect(ContractTemplate.find(type: type, language: language, version: version) == expected)
    }

    @Test func theCatalogueHoldsExactlyTheNodesThreeTemplates() {
        #expect(
            ContractTemplate.standard.map { "\($0.language):\($0.type):\($0.version)" } == [
                "NL:BehandelaarLogin:v1", "NL:BehandelaarLogin:v3", "EN:PractitionerLogin:v3",
            ])
        #expect(
            Self.en.template
                == "EN:PractitionerLogin:v3 I hereby declare to act on behalf of {{{legal_entity}}} located in {{{legal_entity_city}}}. This declaration is valid from {{valid_from}} until {{valid_to}}."
        )
        #expect(
            Self.nl.template
                == "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van {{{legal_entity}}} te {{{legal_entity_city}}}. Deze verklaring is geldig van {{valid_from}} tot {{valid_to}}."
        )
        #expect(
            ContractTemplate.nlBehandelaarLoginV1.template
                == "NL:BehandelaarLogin:v1 Ondergetekende geeft toestemming aan {{{acting_party}}} om namens {{{legal_entity}}} en ondergetekende het Nuts netwerk te bevragen. Deze toestemming is geldig van {{valid_from}} tot {{valid_to}}."
        )
        #expect(Self.en.templateAttributes == ["legal_entity", "legal_entity_city", "valid_from", "valid_to"])
        #expect(Self.nl.templateAttributes == ["legal_entity", "legal_entity_city", "valid_from", "valid_to"])
        #expect(
            ContractTemplate.nlBehandelaarLoginV1.templateAttributes == [
                "acting_party", "legal_entity", "valid_from", "valid_to",
            ])
    }

    @Test func anErrorDescribesItselfByItsMessage() {
        let error = ContractError(kind: .notFound, message: "could not find contract template")
        #expect(error.description == "could not find contract template")
        #expect("\(error)" == "could not find contract template")
    }
}
