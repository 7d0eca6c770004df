import AsyncHTTPClient
import NIOCore

/// Reads an answer's body within the deadline its request ran to, for every outbound call (the
/// upstream wallet, the gateway's origin).
///
/// AsyncHTTPClient's deadline bounds connecting and the answer's head, and its errors name the
/// cause (a refused connection: nothing was sent). A timer raced against those too can win on a
/// loaded machine, where both are ready before a thread is free to run either, and report a
/// request that never left as unanswered. So the request runs to the library's deadline on its
/// own, and only the body races a timer: what is left of the deadline plus `grace`, so that a body
/// ending just in time is kept.
public enum ResponseBodyDeadline {
    /// The body was still arriving `grace` after the deadline.
    public struct Passed: Error {}

    public static func collect(
        _ body: HTTPClientResponse.Body, upTo bytesMax: Int, deadline: NIODeadline, graceNanoseconds: UInt64
    ) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
            group.addTask { try await body.collect(upTo: bytesMax) }
            group.addTask {
                let now = NIODeadline.now().uptimeNanoseconds
                let left = deadline.uptimeNanoseconds > now ? deadline.uptimeNanoseconds - now : 0
                try await Task.sleep(nanoseconds: left + graceNanoseconds)
                throw Passed()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Passed() }
            return first
        }
    }
}
