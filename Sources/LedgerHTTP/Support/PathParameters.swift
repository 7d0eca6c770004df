import LedgerApp
import LedgerCore
import Foundation
import Hummingbird

extension Parameters {
    /// A path parameter as the client meant it: the router matches and captures the raw segment,
    /// and OpenAPI-generated clients percent-encode `$` and `@` (`%24alice%40vasp.net`), so every
    /// handler reads its parameters through here. nil when missing or not valid percent-encoded
    /// UTF-8, which each handler answers as its own "no such resource".
    package func decoded(_ name: String) -> String? {
        guard let raw = get(name) else { return nil }
        guard raw.containsASCII("%") else { return raw }
        return raw.removingPercentEncoding
    }
}
