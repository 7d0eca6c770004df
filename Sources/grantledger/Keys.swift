import ArgumentParser
import Configuration
import Foundation
import LedgerAuth

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the signing keys in DATA_DIR/keys: ES256 (access and connection tokens) and RS256 (ID tokens).",
        subcommands: [Generate.self, Rotate.self, List.self],
        defaultSubcommand: List.self)

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a new signing key (mode 0600). The newest key signs; older ones stay in the JWKS.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let store = KeyStore(dataDirectory: data.directory)
            let key = try store.generate()
            let rsa = try store.generateRSA()
            print("generated ES256 key kid=\(key.kid) at \(key.path)")
            print("generated RS256 key kid=\(rsa.kid) at \(rsa.path); a running server signs with them within seconds")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Make a new signing key the active one. A running server picks it up within seconds; older keys keep verifying the tokens they signed until those expire, then are pruned."
        )
        @OptionGroup var data: DataDirectoryOptions

        @Option(
            name: .customLong(Setting.tokenLifetimeSecMax.longName),
            help: .init(
                "Prune keys retired longer ago than this: the longest life of any token they signed. "
                    + Setting.tokenLifetimeSecMax.help))
        var tokenLifetimeSecMax: String?

        func run() async throws {
            let store = KeyStore(dataDirectory: data.directory)
            let sources = SettingSources(
                flags: tokenLifetimeSecMax.map { [Setting.tokenLifetimeSecMax.key: .string($0)] } ?? [:])
            let lifetime = try sources.integer(.tokenLifetimeSecMax)
            let key = try store.generate()
            let rsa = try store.generateRSA()
            print("active   \(key.kid)  \(key.path)")
            print("active   \(rsa.kid)  \(rsa.path)")
            let cutoff = Date().addingTimeInterval(-TimeInterval(lifetime))
            for pruned in try store.prune(retiredBefore: cutoff) {
                print("pruned   \(pruned.kid)  \(pruned.path) (every token it signed has expired)")
            }
            for pruned in try store.pruneRSA(retiredBefore: cutoff) {
                print("pruned   \(pruned.kid)  \(pruned.path) (every token it signed has expired)")
            }
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
                print("\(marker)  ES256  \(key.kid)  \(formatter.string(from: key.createdAt))  \(key.path)")
            }
            let rsaKeys = try KeyStore(dataDirectory: data.directory).rsaKeys()
            for (index, key) in rsaKeys.enumerated() {
                let marker = index == rsaKeys.count - 1 ? "active " : "retired"
                print("\(marker)  RS256  \(key.kid)  \(formatter.string(from: key.createdAt))  \(key.path)")
            }
        }
    }
}
