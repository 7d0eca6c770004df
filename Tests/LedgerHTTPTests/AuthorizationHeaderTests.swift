import Testing

@testable import LedgerHTTP

/// RFC 9110 §11.1: an auth scheme is case-insensitive, and the credentials may have spaces or
/// tabs around them; another scheme (a bearer token) is not client authentication.
@Suite struct AuthorizationHeaderTests {
    @Test(arguments: [
        ("Basic YTpi", "YTpi"),
        ("basic YTpi", "YTpi"),
        ("BASIC YTpi", "YTpi"),
        ("BaSiC   YTpi \t", "YTpi"),
        ("Basic \tYTpi", "YTpi"),
        ("Basic ", ""),
        // A mark after the space stays (and fails as base64); RFC 9110 allows only spaces and tabs.
        ("Basic \u{301}YTpi", "\u{301}YTpi"),
        ("Basic \u{A0}YTpi", "\u{A0}YTpi"),
    ])
    func takesWhatFollowsTheBasicSchemeInAnyCase(header: String, credentials: String) {
        let taken = AuthorizationHeader.credentials(header, scheme: "basic")
        #expect(taken.map { Array($0.utf8) } == Array(credentials.utf8))
    }

    @Test(arguments: ["Bearer YTpi", "BasicYTpi", "Basi", "", "Basic-YTpi", "Bas1c YTpi", "Digest YTpi", "Basic\u{0}YTpi"])
    func refusesAnyOtherScheme(header: String) {
        #expect(AuthorizationHeader.credentials(header, scheme: "basic") == nil)
    }

    @Test(arguments: [
        ("Bearer abc.def", "abc.def"),
        ("bearer   abc.def", "abc.def"),
        ("BEARER abc.def", "abc.def"),
    ])
    func takesABearerTokenInAnyCase(header: String, token: String) {
        #expect(AuthorizationHeader.credentials(header, scheme: "bearer") == Substring(token))
    }

    @Test(arguments: ["Basic YTpi", "Bearerabc", "Bear", ""])
    func aBearerTokenIsOnlyBehindTheBearerScheme(header: String) {
        #expect(AuthorizationHeader.credentials(header, scheme: "bearer") == nil)
    }
}
