import Crypto
import Foundation
import LedgerAuth
import Testing

@Suite struct KeyStoreTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gl-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theFirstKeyIsGeneratedOnceWithOwnerOnlyPermissions() throws {
        let store = KeyStore(dataDirectory: try temporaryDirectory())
        let (first, generated) = try store.activeKey()
        #expect(generated)
        let (again, generatedAgain) = try store.activeKey()
        #expect(!generatedAgain)
        #expect(again.kid == first.kid)
        let attributes = try FileManager.default.attributesOfItem(atPath: first.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func theNewestKeySignsAndOlderOnesStayListed() throws {
        let store = KeyStore(dataDirectory: try temporaryDirectory())
        let old = try store.generate(now: Date(timeIntervalSince1970: 1_000))
        let new = try store.generate(now: Date(timeIntervalSince1970: 2_000))
        #expect(try store.list().map(\.kid) == [old.kid, new.kid])
        #expect(try store.activeKey().key.kid == new.kid)
        #expect(KeyStore.jwks(try store.list())["keys"]?.count == 2)
    }

    /// RFC 7638 §3.2 worked on an EC key: members crv, kty, x, y in that order, no spaces.
    @Test func kidIsTheRFC7638ThumbprintOfThePublicJWK() throws {
        let key = try KeyStore(dataDirectory: try temporaryDirectory()).generate()
        let jwk = key.publicJWK
        let canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"\(jwk["x"]!)\",\"y\":\"\(jwk["y"]!)\"}"
        let digest = Data(SHA256.hash(data: Data(canonical.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(key.kid == digest)
        #expect(jwk["kid"] == key.kid)
        #expect(jwk["alg"] == "ES256")
        #expect(jwk["x"]?.count == 43 && jwk["y"]?.count == 43)
    }

    @Test func aCorruptKeyFileIsReportedByPath() throws {
        let directory = try temporaryDirectory()
        let store = KeyStore(dataDirectory: directory)
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        let path = store.directory + "/es256-0000000000001.pem"
        try "not a key".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try store.list() } throws: { "\($0)".contains(path) }
    }
}
