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
        try keyFiles(prefix: "es256-") { pem, path, createdAt in
            SigningKey(privateKey: try Self.p256(pem, path), createdAt: createdAt, path: path)
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
        try keyFiles(prefix: "rs256-") { pem, path, createdAt in
            let privateKey: JWTKit.Insecure.RSA.PrivateKey
            do {
                privateKey = try JWTKit.Insecure.RSA.PrivateKey(pem: pem)
            } catch {
                throw KeyStoreError(description: "\(path) is not an RSA private key in PEM: \(error)")
            }
            return try RSASigningKey(privateKey: privateKey, createdAt: createdAt, path: path)
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
        let pem = try RSASigningKey.generatePEM()
        let path = try writeKeyFile(prefix: "rs256-", pem: pem, now: now)
        return try RSASigningKey(privateKey: try JWTKit.Insecure.RSA.PrivateKey(pem: pem), createdAt: now, path: path)
    }

    /// `prune` for the RS256 keys.
    public func pruneRSA(retiredBefore cutoff: Date) throws -> [RSASigningKey] {
        try Self.pruneRetired(try rsaKeys(), before: cutoff, createdAt: \.createdAt, path: \.path)
    }

    /// The signing key, generated on first use.
    public func activeKey(now: Date = Date()) throws -> (key: SigningKey, generated: Bool) {
        if let newest = try list().last { return (newest, false) }
        return (try generate(now: now), true)
    }

    /// Writes a new key with mode 0600; it becomes the active one.
    @discardableResult
    public func generate(now: Date = Date()) throws -> SigningKey {
        let privateKey = P256.Signing.PrivateKey()
        let path = try writeKeyFile(prefix: "es256-", pem: privateKey.pemRepresentation, now: now)
        return SigningKey(privateKey: privateKey, createdAt: now, path: path)
    }

    /// Deletes keys that stopped signing (a newer key exists) before `cutoff`: no token they
    /// signed can still be valid when every token's life is shorter than now − cutoff. The
    /// newest key is never pruned. Returns the keys deleted.
    public func prune(retiredBefore cutoff: Date) throws -> [SigningKey] {
        try Self.pruneRetired(try list(), before: cutoff, createdAt: \.createdAt, path: \.path)
    }

    // MARK: Checkpoint keys

    /// The prefix of checkpoint key files, `checkpoint-es256-<ms>.pem`. Their own kind: they sign
    /// only checkpoints, never tokens, are not in the JWKS, and are never pruned (their public
    /// halves are recorded in the log, so old checkpoints verify without the files).
    public static let checkpointKeyPrefix = "checkpoint-es256-"

    /// The checkpoint keys, oldest first.
    public func checkpointKeys() throws -> [SigningKey] {
        try keyFiles(prefix: Self.checkpointKeyPrefix) { pem, path, createdAt in
            SigningKey(privateKey: try Self.p256(pem, path), createdAt: createdAt, path: path)
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
        let privateKey = P256.Signing.PrivateKey()
        let path = try writeKeyFile(prefix: Self.checkpointKeyPrefix, pem: privateKey.pemRepresentation, now: now)
        return SigningKey(privateKey: privateKey, createdAt: now, path: path)
    }

    // MARK: One kind of key file

    /// Every file of one kind, oldest first, read by `read(pem, path, createdAt)`; the creation
    /// time is the milliseconds in the file's name.
    private func keyFiles<Key>(prefix: String, _ read: (String, String, Date) throws -> Key) throws -> [Key] {
        try fileNames(prefix: prefix).map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            let millis = Int64(name.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0
            return try read(pem, path, Date(timeIntervalSince1970: Double(millis) / 1000))
        }
    }

    /// Writes `<prefix><ms>.pem` with mode 0600 (the directory 0700); its path.
    private func writeKeyFile(prefix: String, pem: String, now: Date) throws -> String {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (directory as NSString).appendingPathComponent(String(format: "\(prefix)%013lld.pem", now.unixMs))
        guard
            FileManager.default.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600])
        else { throw KeyStoreError(description: "cannot write \(path)") }
        return path
    }

    private static func p256(_ pem: String, _ path: String) throws -> P256.Signing.PrivateKey {
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw KeyStoreError(description: "\(path) is not an ES256 (P-256) private key in PEM: \(error)")
        }
    }

    /// The keys (oldest first) retired before `cutoff`, deleted; the newest is never one of them.
    private static func pruneRetired<Key>(
        _ keys: [Key], before cutoff: Date, createdAt: KeyPath<Key, Date>, path: KeyPath<Key, String>
    ) throws -> [Key] {
        var pruned: [Key] = []
        for (index, key) in keys.enumerated().dropLast() where keys[index + 1][keyPath: createdAt] < cutoff {
            try FileManager.default.removeItem(atPath: key[keyPath: path])
            pruned.append(key)
        }
        return pruned
    }

    public static func jwks(_ keys: [SigningKey], rsa: [RSASigningKey] = []) -> [String: [[String: String]]] {
        ["keys": keys.map(\.publicJWK) + rsa.map(\.publicJWK)]
    }
}
