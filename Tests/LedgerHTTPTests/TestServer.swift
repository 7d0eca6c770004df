import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import Logging
import NIOCore

/// The real router over a ledger in a temporary directory, driven in-process.
struct TestServer {
    static let adminToken = "test-admin-token-0123456789"

    let ledger: Ledger
    let directory: String
    let settings: HTTPSettings

    init(settings: HTTPSettings = HTTPSettings(bodyBytesMax: 4096, pageSizeMax: 50)) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gl-http-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        ledger = try Ledger(path: directory + "/ledger.sqlite")
        self.settings = settings
    }

    func run(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let key = try KeyStore(dataDirectory: directory).activeKey().key
        let digest = SHA256.hash(data: Data(Self.adminToken.utf8)).map { String(format: "%02x", $0) }.joined()
        let services = LedgerServices(ledger: ledger, signingKeys: [key], adminTokenSha256: digest)
        let app = buildApplication(services, settings: settings, logger: Logger(label: "test"))
        try await app.test(.router) { client in try await test(client) }
    }

    static func headers(token: String? = adminToken, _ extra: [(String, String)] = []) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        fields[.contentType] = "application/json"
        for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
        return fields
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:]
    }
}

extension ByteBuffer {
    init(json: String) { self.init(string: json) }
}
