import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import NIOCore

package enum JSONResponse {
    package static func make(_ status: HTTPResponse.Status = .ok, _ value: some Encodable, headers: HTTPFields = [:]) throws
        -> Response
    {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try CanonicalJSON.encode(value))))
    }
}
