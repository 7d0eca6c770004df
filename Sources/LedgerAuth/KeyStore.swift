import Crypto
import CryptoExtras
import Foundation
import JWTKit
import LedgerCore

/// The ledger's signing keys, one PEM file each under `DATA_DIR/keys/`, readable by the owner only:
/// `es256-<ms>.pem` (access and connection tokens) and `rs256-<ms>.pem` (ID tokens, and access
/// tokens of clients that chose RS256). Of each kind the newest signs; older ones stay listed
/// (and in the JWKS) so tokens they signed still verify.
public struct KeyStore: Sendable {
    public struct KeyStoreError: Error, CustomStringConvertible {
        public var description: String
    }

    public let directory: String

    public init(dataDirectory: String) {
        self.directory = (dataDirectory as NSString).appendingPathComponent("keys")
    }

    /// Keys oldest first. File names carry the creation time in ms so the order survives copies.
    public func list() throws -> [SigningKey] {
        try fileNames().map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            let privateKey: P256.Signing.PrivateKey
            do {
                privateKey = try P256.Signing.PrivateKey(pemRepresentation: pem)
            } catch {
                throw KeyStoreError(description: "\(path) is not an ES256 (P-256) private key in PEM: \(error)")
            }
            let millis = Int64(name.dropFirst("es256-".count).prefix { $0.isNumber }) ?? 0
            return SigningKey(
                privateKey: privateKey, createdAt: Date(timeIntervalSince1970: Double(millis) / 1000), path: path)
        }
    }

    /// The key files' names, oldest first: a cheap way to tell whether the keys changed.
    public func fileNames(prefix: String = "es256-") throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".pem") }
            .sorted()
    }

    /// Every key file's name of both kinds, for the reload service's change check.
    public func allFileNames() throws -> [String] {
        try fileNames() + fileNames(prefix: "rs256-")
    }

    /// The RS256 keys, oldest first.
    public func rsaKeys() throws -> [RSASigningKey] {
        try fileNames(prefix: "rs256-").map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            let privateKey: JWTKit.Insecure.RSA.PrivateKey
            do {
                privateKey = try JWTKit.Insecure.RSA.PrivateKey(pem: pem)
            } catch {
                throw KeyStoreError(description: "\(path) is not an RSA private key in PEM: \(error)")
            }
            let millis = Int64(name.dropFirst("rs256-".count).prefix { $0.isNumber }) ?? 0
            return try RSASigningKey(
                privateKey: privateKey, createdAt: Date(timeIntervalSince1970: Double(millis) / 1000), path: path)
        }
    }

    /// The RS256 signing key, generated on first use (a data directory from before ID tokens has none).
    public func activeRSAKey(now: Date = Date()) throws -> (key: RSASigningKey, generated: Bool) {
        if let newest = try rsaKeys().last { return (newest, false) }
        return (try generateRSA(now: now), true)
    }

    /// Writes a new RS256 key with mode 0600; it becomes the active one of its kind.
    @discardableResult
    public func generateRSA(now: Date = Date()) throws -> RSASigningKey {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let pem = try RSASigningKey.generatePEM()
        let path = (directory as NSString).appendingPathComponent(String(format: "rs256-%013lld.pem", now.unixMs))
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600])
        else { throw KeyStoreError(description: "cannot write \(path)") }
        return try RSASigningKey(privateKey: try JWTKit.Insecure.RSA.PrivateKey(pem: pem), createdAt: now, path: path)
    }

    /// `prune` for the RS256 keys.
    public func pruneRSA(retiredBefore cutoff: Date) throws -> [RSASigningKey] {
        let keys = try rsaKeys()
        var pruned: [RSASigningKey] = []
        for (index, key) in keys.enumerated().dropLast() where keys[index + 1].createdAt < cutoff {
            try FileManager.default.removeItem(atPath: key.path)
            pruned.append(key)
        }
        return pruned
    }

    /// The signing key, generated on first use.
    public func activeKey(now: Date = Date()) throws -> (key: SigningKey, generated: Bool) {
        if let newest = try list().last { return (newest, false) }
        return (try generate(now: now), true)
    }

    /// Writes a new key with mode 0600; it becomes the active one.
    @discardableResult
    public func generate(now: Date = Date()) throws -> SigningKey {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let privateKey = P256.Signing.PrivateKey()
        let millis = now.unixMs
        let path = (directory as NSString).appendingPathComponent(String(format: "es256-%013lld.pem", millis))
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(privateKey.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
        else { throw KeyStoreError(description: "cannot write \(path)") }
        return SigningKey(privateKey: privateKey, createdAt: now, path: path)
    }

    /// Deletes keys that stopped signing (a newer key exists) before `cutoff`: no token they
    /// signed can still be valid when every token's life is shorter than now − cutoff. The
    /// newest key is never pruned. Returns the keys deleted.
    public func prune(retiredBefore cutoff: Date) throws -> [SigningKey] {
        let keys = try list()
        var pruned: [SigningKey] = []
        for (index, key) in keys.enumerated().dropLast() where keys[index + 1].createdAt < cutoff {
            try FileManager.default.removeItem(atPath: key.path)
            pruned.append(key)
        }
        return pruned
    }

    // MARK: Checkpoint keys

    /// The prefix of checkpoint key files, `checkpoint-es256-<ms>.pem`. Their own kind: they sign
    /// only checkpoints, never tokens, are not in the JWKS, and are never pruned (their public
    /// halves are recorded in the log, so old checkpoints verify without the files).
    public static let checkpointKeyPrefix = "checkpoint-es256-"

    /// The checkpoint keys, oldest first.
    public func checkpointKeys() throws -> [SigningKey] {
        try fileNames(prefix: Self.checkpointKeyPrefix).map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            let privateKey: P256.Signing.PrivateKey
            do {
                privateKey = try P256.Signing.PrivateKey(pemRepresentation: pem)
            } catch {
                throw KeyStoreError(description: "\(path) is not an ES256 (P-256) private key in PEM: \(error)")
            }
            let millis = Int64(name.dropFirst(Self.checkpointKeyPrefix.count).prefix { $0.isNumber }) ?? 0
            return SigningKey(
                privateKey: privateKey, createdAt: Date(timeIntervalSince1970: Double(millis) / 1000), path: path)
        }
    }

    /// The key that signs checkpoints (the newest), generated on first use.
    public func activeCheckpointKey(now: Date = Date()) throws -> (key: SigningKey, generated: Bool) {
        if let newest = try checkpointKeys().last { return (newest, false) }
        return (try generateCheckpointKey(now: now), true)
    }

    /// Writes a new checkpoint key with mode 0600; it becomes the one that signs.
    @discardableResult
    public func generateCheckpointKey(now: Date = Date()) throws -> SigningKey {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let privateKey = P256.Signing.PrivateKey()
        let path = (directory as NSString).appendingPathComponent(
            String(format: "\(Self.checkpointKeyPrefix)%013lld.pem", now.unixMs))
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(privateKey.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
        else { throw KeyStoreError(description: "cannot write \(path)") }
        return SigningKey(privateKey: privateKey, createdAt: now, path: path)
    }

    public static func jwks(_ keys: [SigningKey], rsa: [RSASigningKey] = []) -> [String: [[String: String]]] {
        ["keys": keys.map(\.publicJWK) + rsa.map(\.publicJWK)]
    }
}
