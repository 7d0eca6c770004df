import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Guards `/admin/…`: the bearer token's SHA-256 must equal the stored digest. Compared in
/// constant time so the answer's timing says nothing about how close a guess was.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokenSha256: Data

    init(tokenSha256Hex: String) {
        self.tokenSha256 = Data(hex: tokenSha256Hex) ?? Data()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.count <= 4096,
            header.lowercased().hasPrefix("bearer ")
        else { throw APIError.unauthorized }
        let presented = Data(SHA256.hash(data: Data(header.dropFirst("bearer ".count).utf8)))
        guard tokenSha256.count == presented.count, zip(tokenSha256, presented).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { throw APIError.unauthorized }
        return try await next(request, context)
    }
}

extension Data {
    init?(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
