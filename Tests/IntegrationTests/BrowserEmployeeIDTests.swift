import Foundation
import Testing

/// The employeeid means' page in a real browser: Debian's headless Chromium, driven by Selenium
/// (Tests/python/browser_employeeid.py, on browser_pages.py's set-up), opens a signing session's
/// `sessionPtr.url`, sees the contract and the employee, signs (the EHR then polls `completed`
/// with a presentation, then `vp-requested`, and gets an access token carrying the employee); a
/// second session, on a Dutch contract, is declined there (`cancelled`). Each page's text is
/// printed into the test log and its screenshot saved in .build/screenshots/employeeid. Then
/// `verify` shows that a fresh replay of the log equals the live projections.
@Suite struct BrowserEmployeeIDTests {
    @Test func anEmployeeSignsOnThePageAndDeclinesASecondSession() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let data = directory + "/data"
        // sessionPtr.url names the server's public URL (its issuer), which must name its port.
        let reservedPort = try ReservedLoopbackPort()
        let base = "http://127.0.0.1:\(reservedPort.port)"
        let server = try await ServerProcess(
            dataDirectory: data, reservedPort: reservedPort,
            extraEnvironment: ["GRANTLEDGER_ISSUER": base, "GRANTLEDGER_SIGNING_MEANS": "dummy,employeeid"])

        let (status, output) = try await PythonClientTests.runBrowserScript("browser_employeeid.py", base: base, screenshots: "employeeid")
        #expect(status == 0, "\(output)")
        #expect(output.contains("passed, 0 failed"), "\(output)")
        #expect(await server.stop() == 0)

        let verified = try await runCLI(["verify", "--data-dir", data])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
