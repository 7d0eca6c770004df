import Foundation
import Synchronization

/// A loopback port held for a server whose environment must name its port (its issuer URL)
/// before it starts. The socket is bound with `SO_REUSEADDR` and never listens, so the server
/// (whose listener sets `SO_REUSEADDR` too) can bind the same port beside it, while Linux hands
/// the port to no other socket that binds port 0 or connects without binding (only a bind naming
/// this port, with `SO_REUSEADDR`, would share it). That is Linux's rule; BSD's needs
/// `SO_REUSEPORT` for the same. (A port picked free and released before the server bound it was
/// taken in between often enough to fail starts: under a loop of other binds, six starts in six.)
/// `ServerProcess` releases it once the server listens.
final class ReservedLoopbackPort: Sendable {
    let port: Int
    private let descriptor: Mutex<Int32?>

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError(description: "cannot open a socket") }
        var reuse: Int32 = 1
        var address = loopbackAddress(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound =
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size)) == 0
            && withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
                }
            }
        guard bound else {
            close(descriptor)
            throw ServerError(description: "cannot reserve a loopback port")
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.descriptor = Mutex(descriptor)
    }

    /// Closes the socket; the second and later calls do nothing.
    func release() {
        descriptor.withLock {
            if let open = $0 { close(open) }
            $0 = nil
        }
    }

    deinit { release() }
}

/// 127.0.0.1:`port` as the socket calls take it (`port` 0: any port the system picks).
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return address
}
