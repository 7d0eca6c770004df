import ArgumentParser
import Foundation
import LedgerAuth

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the ES256 signing keys in DATA_DIR/keys.", subcommands: [Generate.self, List.self],
        defaultSubcommand: List.self)

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a new signing key (mode 0600). The newest key signs; older ones stay in the JWKS.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let key = try KeyStore(dataDirectory: data.directory).generate()
            print("generated ES256 key kid=\(key.kid) at \(key.path); restart the server to sign with it")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the signing keys, oldest first.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let keys = try KeyStore(dataDirectory: data.directory).list()
            guard !keys.isEmpty else {
                print(
                    "no keys in \(KeyStore(dataDirectory: data.directory).directory); `grantledger serve` or `keys generate` creates one"
                )
                return
            }
            let formatter = ISO8601DateFormatter()
            for (index, key) in keys.enumerated() {
                let marker = index == keys.count - 1 ? "active " : "retired"
                print("\(marker)  \(key.kid)  \(formatter.string(from: key.createdAt))  \(key.path)")
            }
        }
    }
}
