import Testing

@testable import LedgerHTTP

@Suite struct FormParametersTests {
    @Test func decodesPlusAndPercentEscapesAsUTF8() {
        #expect(FormParameters.decode("a+b%20c") == "a b c")
        #expect(FormParameters.decode("http%3A%2F%2Flocalhost%3A33388%2Fcallback") == "http://localhost:33388/callback")
        #expect(FormParameters.decode("caf%C3%A9") == "café")
        #expect(FormParameters.decode("plain.token_-~") == "plain.token_-~")
        #expect(FormParameters.decode("%2B") == "+")
    }

    @Test func refusesBrokenEscapesAndInvalidUTF8() {
        #expect(FormParameters.decode("%") == nil)
        #expect(FormParameters.decode("%4") == nil)
        #expect(FormParameters.decode("%zz") == nil)
        #expect(FormParameters.decode("%C3") == nil)
    }

    @Test func aParameterGivenTwiceIsRefused() {
        #expect(throws: OAuthError.self) { try FormParameters(encoded: "scope=a&scope=b") }
        #expect((try? FormParameters(encoded: "grant_type=client_credentials&scope=a+b"))?.scopes == ["a", "b"])
    }

    @Test func splitsOnTheAmpersandAndFirstEqualsBytesAsTheWHATWGParserDoes() throws {
        let form = try FormParameters(encoded: "redirect_uri=https%3A%2F%2Fa%2Fb%3Fc%3Dd&state=x=y&&empty=&flag")
        #expect(form.values == ["redirect_uri": "https://a/b?c=d", "state": "x=y", "empty": "", "flag": ""])
        // A combining mark after `&` or `=` does not hide it (a split by Characters did).
        let marked = try FormParameters(encoded: "a=1&\u{301}b=2&c=\u{301}3")
        #expect(marked.values == ["a": "1", "\u{301}b": "2", "c": "\u{301}3"])
    }

    @Test func sixtyFourParametersPassAndASixtyFifthIsRefusedTrailingAmpersandsAside() throws {
        let sixtyFour = (0..<64).map { "p\($0)=v" }.joined(separator: "&")
        #expect(try FormParameters(encoded: Substring(sixtyFour)).values.count == 64)
        #expect(try FormParameters(encoded: Substring(sixtyFour + "&&&")).values.count == 64)
        #expect(throws: OAuthError.self) { try FormParameters(encoded: Substring(sixtyFour + "&p64=v")) }
        #expect(throws: OAuthError.self) { try FormParameters(encoded: Substring(sixtyFour + "&&p64=v&p65=w")) }
    }
}
