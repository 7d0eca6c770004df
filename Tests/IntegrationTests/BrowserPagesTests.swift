import Foundation
import Testing

/// The server-rendered pages in a real browser: Debian's headless Chromium, driven by Selenium
/// (Tests/python/browser_pages.py), walks the stand-in login, consent (approve and deny), the
/// device page, the account page's revoke and logout against the real binary. Each page's text is
/// printed into the test log and its screenshot saved in .build/screenshots. Then `verify` shows
/// that a fresh replay of the log equals the live projections.
@Suite struct BrowserPagesTests {
    @Test func aBrowserLogsInConsentsDeniesApprovesADeviceRevokesOnTheAccountPageAndLogsOut() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let data = directory + "/data"
        let reservedPort = try ReservedLoopbackPort()
        let base = "http://127.0.0.1:\(reservedPort.port)"
        let server = try await ServerProcess(
            dataDirectory: data, reservedPort: reservedPort,
            extraEnvironment: [
                "GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_ISSUER": base, "GRANTLEDGER_DEVICE_POLL_INTERVAL_SEC": "1",
            ])

        let (status, output) = try await PythonClientTests.runBrowserScript("browser_pages.py", base: base, screenshots: "")
        #expect(status == 0, "\(output)")
        #expect(output.contains("passed, 0 failed"), "\(output)")
        #expect(await server.stop() == 0)

        let verified = try await runCLI(["verify", "--data-dir", data])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
