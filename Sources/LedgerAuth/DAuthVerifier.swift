import Foundation
import JWTKit
import LedgerCore

/// Who a DAuth token says is calling: a smart contract, pinned to the OBP user
/// `(provider = "dauth." + network_name, username = smart_contract_address)` as OBP-API does.
public struct DAuthIdentity: Sendable, Equatable {
    public var provider: String
    public var username: String
    public var consumerKey: String
    public var requestId: String?
}

/// Why a DAuth header was refused, as OBP names it (`dauth.scala`): a disallowed address
/// (OBP-20069), a header that is not one token (OBP-20072), or a token that does not verify or
/// lacks what it must carry (OBP-20071). `reason` says which, for the operator's log and metrics.
public struct DAuthRefusal: Error, Sendable, Equatable {
    public enum Kind: String, Sendable { case address, header, token }
    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }
}

/// Verifies the DAuth header's RS256 JWT with the operator's configured public key. OBP trusts
/// these tokens absolutely, so the checks are strict: RS256 only (`none` and HMAC are refused
/// before any key is looked at, so a public key can never be used as an HMAC secret), the three
/// claims OBP requires, and a `timestamp` no older than `maxAgeSec` (OBP does not check it; a
/// captured token would otherwise be good forever).
public struct DAuthVerifier: Sendable {
    let keys: JWTKeyCollection
    public let maxAgeSec: Int
    /// Tolerated clock difference for a timestamp in the future.
    public let leewaySec: Int
    public static let tokenBytesMax = 8192

    public init(publicKeyPEM: String, maxAgeSec: Int = 300, leewaySec: Int = 60) async throws {
        let key: Insecure.RSA.PublicKey
        do {
            key = try Insecure.RSA.PublicKey(pem: publicKeyPEM)
        } catch {
            throw TokenVerificationError(reason: "the DAuth public key is not an RSA public key in PEM")
        }
        keys = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256)
        self.maxAgeSec = maxAgeSec
        self.leewaySec = leewaySec
    }

    public static func loading(path: String, maxAgeSec: Int) async throws -> DAuthVerifier {
        let pem: String
        do { pem = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TokenVerificationError(reason: "cannot read the DAuth public key \(path): \(error.localizedDescription)")
        }
        return try await DAuthVerifier(publicKeyPEM: pem, maxAgeSec: maxAgeSec)
    }

    public func verify(_ token: String, now: Date) async throws(DAuthRefusal) -> DAuthIdentity {
        guard token.utf8.count <= Self.tokenBytesMax, !token.containsASCII(",") else {
            throw DAuthRefusal(.header, "the DAuth header is not one token")
        }
        let header: TrustedIssuers.Header
        do { header = try TrustedIssuers.header(of: token) } catch { throw DAuthRefusal(.token, "not a JWT") }
        guard header.alg == "RS256" else {
            throw DAuthRefusal(.token, "alg \(header.alg ?? "(missing)") is not accepted; only RS256")
        }
        let claims: DAuthClaims
        do { claims = try await keys.verify(token, as: DAuthClaims.self) } catch {
            throw DAuthRefusal(.token, "the signature does not verify with the DAuth public key")
        }
        var missing: [String] = []
        if claims.smartContractAddress?.isEmpty ?? true { missing.append("smart_contract_address") }
        if claims.networkName?.isEmpty ?? true { missing.append("network_name") }
        if claims.consumerKey?.isEmpty ?? true { missing.append("consumer_key") }
        if claims.timestamp == nil { missing.append("timestamp") }
        guard missing.isEmpty, let address = claims.smartContractAddress, let network = claims.networkName,
            let consumerKey = claims.consumerKey, let timestamp = claims.timestamp
        else { throw DAuthRefusal(.token, "missing claims: \(missing.joined(separator: ", "))") }
        // They become the user's name and provider: the same bounds as every other name.
        guard ObpText.isValidText(address), ObpText.isValidText(network, bytesMax: ObpText.nameBytesMax - "dauth.".count) else {
            throw DAuthRefusal(.token, "smart_contract_address and network_name must be 1 to 255 bytes without control characters")
        }
        guard let issuedMs = RFC3339.unixMs(timestamp) else {
            throw DAuthRefusal(.token, "timestamp is not an RFC 3339 time")
        }
        let nowMs = now.unixMs
        guard issuedMs <= nowMs + Int64(leewaySec) * 1000 else { throw DAuthRefusal(.token, "timestamp is in the future") }
        guard nowMs - issuedMs <= Int64(maxAgeSec) * 1000 else {
            throw DAuthRefusal(.token, "timestamp is older than \(maxAgeSec) s: the token has expired")
        }
        return DAuthIdentity(
            provider: "dauth." + network, username: address, consumerKey: consumerKey, requestId: claims.requestId)
    }
}

/// The payload OBP's `PayloadOfJwtJSON` reads.
struct DAuthClaims: JWTPayload {
    var smartContractAddress: String?
    var networkName: String?
    var msgSender: String?
    var consumerKey: String?
    var timestamp: String?
    var requestId: String?

    enum CodingKeys: String, CodingKey {
        case smartContractAddress = "smart_contract_address"
        case networkName = "network_name"
        case msgSender = "msg_sender"
        case consumerKey = "consumer_key"
        case timestamp
        case requestId = "request_id"
    }

    /// Claims are checked by `DAuthVerifier.verify` with the injected clock, not here.
    func verify(using _: some JWTAlgorithm) async throws {}
}
