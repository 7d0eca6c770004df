import Foundation
import Testing

/// The one configuration: flags over environment over config file over defaults, every value
/// checked with its source named, and the README's table equal to the catalog it comes from.
@Suite struct ConfigurationTests {
    /// This process's environment without any GRANTLEDGER_ variable, plus `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GRANTLEDGER_") }.merging(extra) { $1 }
    }

    func configFile(_ json: String) throws -> String {
        let path = try ServerProcess.temporaryDataDirectory() + "/grantledger.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `key = value  [source]` lines of `grantledger config`.
    func effective(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> [String: String] {
        let result = try await runCLI(["config"] + arguments, environment: environment(extra))
        #expect(result.status == 0, "\(result.output)")
        var lines: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let separator = line.range(of: " = ") else { continue }
            lines[String(line[..<separator.lowerBound])] = String(line[separator.upperBound...])
        }
        return lines
    }

    @Test func aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() async throws {
        let file = try configFile(#"{"hold-timeout-sec": 30, "port": 9001, "wallet": "demo", "clear-auth-endpoints": ["POST /v1/mint/*"]}"#)
        let env = ["GRANTLEDGER_HOLD_TIMEOUT_SEC": "40"]
        #expect(try await effective(["--config", file, "--hold-timeout-sec", "50"], env)["hold-timeout-sec"] == "50  [flag]")
        #expect(try await effective(["--config", file], env)["hold-timeout-sec"] == "40  [environment]")
        let fromFile = try await effective(["--config", file])
        #expect(fromFile["hold-timeout-sec"] == "30  [config file \(file)]")
        #expect(fromFile["port"] == "9001  [config file \(file)]")
        #expect(fromFile["clear-auth-endpoints"] == "POST /v1/mint/*  [config file \(file)]")
        #expect(fromFile["host"] == "127.0.0.1  [default]")
        #expect(try await effective([])["hold-timeout-sec"] == "120  [default]")
        // The file may be named by the environment too.
        #expect(try await effective([], ["GRANTLEDGER_CONFIG": file])["port"] == "9001  [config file \(file)]")
    }

    @Test(arguments: [
        (["--hold-timeout-sec", "0"], [String: String](), "--hold-timeout-sec must be 1 to 86400, not 0"),
        ([], ["GRANTLEDGER_PORT": "eighty"], "GRANTLEDGER_PORT must be a whole number"),
        ([], ["GRANTLEDGER_WALLET": "piggy-bank"], #"GRANTLEDGER_WALLET must be demo or upstream, not "piggy-bank""#),
        (["--wallet", "upstream"], [:], "--wallet upstream needs --upstream-url"),
        (["--batch-wait-us", "5000000"], [:], "--batch-wait-us must be 0 to 1000000, not 5000000"),
    ])
    func aValueThatCannotBeIsRefusedNamingWhereItCameFrom(
        arguments: [String], extra: [String: String], message: String
    ) async throws {
        for command in ["config", "serve"] {
            let result = try await runCLI(
                [command, "--data-dir", try ServerProcess.temporaryDataDirectory(), "--port", "0"].filter {
                    !(arguments.isEmpty && extra["GRANTLEDGER_PORT"] != nil && ($0 == "--port" || $0 == "0"))
                } + arguments,
                environment: environment(extra))
            #expect(result.status != 0, "\(command): \(result.output)")
            #expect(result.output.contains(message), "\(command): \(result.output)")
        }
    }

    @Test func aConfigFileWithAnUnknownMemberOrABadValueIsRefused() async throws {
        let misspelt = try configFile(#"{"hold-timout-sec": 30}"#)
        let unknown = try await runCLI(["config", "--config", misspelt], environment: environment())
        #expect(unknown.status != 0)
        #expect(unknown.output.contains(#"names "hold-timout-sec", which is not a setting"#), "\(unknown.output)")

        let outOfRange = try configFile(#"{"port": 70000}"#)
        let range = try await runCLI(["config", "--config", outOfRange], environment: environment())
        #expect(range.status != 0)
        #expect(range.output.contains(#""port" in \#(outOfRange) must be 0 to 65535, not 70000"#), "\(range.output)")

        let wrongType = try configFile(#"{"port": "eighty"}"#)
        let type = try await runCLI(["config", "--config", wrongType], environment: environment())
        #expect(type.status != 0)
        #expect(type.output.contains(#""port" in \#(wrongType) must be a whole number"#), "\(type.output)")

        let notJSON = try configFile("port: 8080")
        #expect(try await runCLI(["config", "--config", notJSON], environment: environment()).output.contains("not a JSON object"))
    }

    @Test func secretsAreNeverPrinted() async throws {
        let token = "a-very-secret-admin-credential"
        let result = try await runCLI(
            ["config", "--upstream-token", "upstream-secret-123"],
            environment: environment(["GRANTLEDGER_ADMIN_TOKEN": token]))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("admin-token = (secret)  [environment]"))
        #expect(result.output.contains("upstream-token = (secret)  [flag]"))
        #expect(!result.output.contains(token) && !result.output.contains("upstream-secret-123"))
    }

    @Test func theReadmeTableIsTheCatalog() async throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- settings table: generated by `grantledger config --markdown` -->\n"))
        let end = try #require(readme.range(of: "<!-- end of settings table -->"))
        let generated = try await runCLI(["config", "--markdown"], environment: environment())
        #expect(generated.status == 0)
        #expect(
            String(readme[start.upperBound..<end.lowerBound]) == generated.output,
            "regenerate the README's table with `grantledger config --markdown`")
    }
}
