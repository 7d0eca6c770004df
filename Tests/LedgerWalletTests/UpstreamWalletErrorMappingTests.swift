import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import LedgerWallet

@Suite struct UpstreamWalletErrorMappingTests {
    let alice = WalletUser(userId: "alice")

    func failure(answer: @escaping CannedAnswer, timeout: TimeAmount = .seconds(5), maxResponseBytes: Int = 1 << 20)
        async throws -> WalletError?
    {
        let server = try await CannedUpstream.start(answer)
        defer { Task { try? await server.stop() } }
        let wallet = UpstreamWallet(
            baseURL: server.baseURL, upstreamToken: UpstreamWalletForwardingTests.token, timeout: timeout,
            maxResponseBytes: maxResponseBytes)
        do {
            _ = try await wallet.balance(alice, currencyCode: nil)
            return nil
        } catch {
            #expect(!error.message.contains(UpstreamWalletForwardingTests.token))
            return error
        }
    }

    @Test(arguments: [
        (HTTPResponseStatus.badRequest, "QUOTA_EXCEEDED", WalletError.Code.quotaExceeded),
        (.tooManyRequests, "RATE_LIMITED", .rateLimited),
        (.badRequest, "INSUFFICIENT_BALANCE", .insufficientBalance),
        (.notFound, "NOT_FOUND", .notFound),
        (.internalServerError, "PAYMENT_FAILED", .paymentFailed),
        (.badRequest, "RESTRICTED", .restricted),
    ])
    func umaErrorCodeIsKept(status: HTTPResponseStatus, code: String, expected: WalletError.Code) async throws {
        let error = try await failure { _ in (status, #"{"code":"\#(code)","message":"from upstream"}"#) }
        #expect(error == WalletError(expected, "from upstream"))
    }

    @Test func serverErrorWithJunkIsInternal() async throws {
        let error = try await failure { _ in (.internalServerError, "<html>oops</html>") }
        #expect(error?.code == .internal)
        #expect(error?.message.contains("500") == true)
    }

    @Test func unknownUMACodeIsInternal() async throws {
        let error = try await failure { _ in (.badRequest, #"{"code":"SOMETHING_NEW","message":"x"}"#) }
        #expect(error?.code == .internal)
    }

    @Test func rateLimitWithoutABodyIsRateLimited() async throws {
        let error = try await failure { _ in (.tooManyRequests, "") }
        #expect(error?.code == .rateLimited)
    }

    @Test(arguments: [HTTPResponseStatus.unauthorized, .forbidden])
    func refusedCredentialIsOtherAndDoesNotLeakTheToken(status: HTTPResponseStatus) async throws {
        let error = try await failure { _ in
            (status, #"{"code":"UNAUTHORIZED","message":"bad token upstream-secret-token"}"#)
        }
        #expect(error == WalletError(.other, "upstream refused our credential"))
    }

    @Test func successWithJunkIsInternal() async throws {
        let error = try await failure { _ in (.ok, "not json") }
        #expect(error?.code == .internal)
    }

    @Test func oversizedResponseIsRefused() async throws {
        let big = #"{"balance":1,"pad":""# + String(repeating: "x", count: 4_096) + #""}"#
        let error = try await failure(answer: { _ in (.ok, big) }, maxResponseBytes: 1_024)
        #expect(error?.code == .internal)
        #expect(error?.message.contains("1024 bytes") == true)
    }

    @Test func silentUpstreamTimesOut() async throws {
        let error = try await failure(answer: { _ in nil }, timeout: .milliseconds(300))
        #expect(error?.code == .internal)
        #expect(error?.message.contains("did not answer") == true)
    }

    @Test func unreachableUpstreamIsInternal() async throws {
        // Port 1 (tcpmux) has no listener here. A port bound and closed by the test could be
        // taken at once by another test's server running in parallel, which made this flaky.
        let wallet = UpstreamWallet(
            baseURL: "http://127.0.0.1:1/umanwc/v1", upstreamToken: UpstreamWalletForwardingTests.token,
            // AsyncHTTPClient retries a refused connection until the deadline, then reports why.
            // Half a second was too short for a first attempt under the whole suite's load (the
            // deadline passed first: "did not answer within 0 s").
            timeout: .seconds(5))
        do {
            _ = try await wallet.info(alice, methods: [])
            Issue.record("a closed port answered")
        } catch {
            #expect(error.code == .internal)
            #expect(error.message.contains("unreachable"), "\(error)")
            #expect(!error.message.contains(UpstreamWalletForwardingTests.token))
        }
    }

    @Test func userIdThatCannotBeAHeaderIsRefusedLocally() async throws {
        let server = try await CannedUpstream.start { _ in (.ok, #"{"balance":1}"#) }
        defer { Task { try? await server.stop() } }
        let wallet = UpstreamWallet(baseURL: server.baseURL, upstreamToken: "t")
        await #expect(throws: WalletError.self) {
            try await wallet.balance(WalletUser(userId: "alice\r\nX-Evil: 1"), currencyCode: nil)
        }
        #expect(server.requests.isEmpty)
    }
}
