import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@Suite(.serialized) struct CrashRecoveryTests {
    func grant(_ client: HTTPClient, _ base: String, index: Int) async throws -> String? {
        var request = HTTPClientRequest(url: "\(base)/admin/connections")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(ServerProcess.adminToken)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(
                string:
                    #"{"user_id":"user-\#(index % 7)","name":"Burst \#(index)","scopes":["pay_invoice","get_balance"],"budget":"1000/daily"}"#
            ))
        let response = try await client.execute(request, timeout: .seconds(3))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .created else { return nil }
        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return json?["id"] as? String
    }

    func status(_ client: HTTPClient, _ url: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(ServerProcess.adminToken)")
        let response = try await client.execute(request, timeout: .seconds(3))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    enum Stop: String, CaseIterable, Sendable {
        /// A crash: nothing gets to finish.
        case kill9
        /// Graceful shutdown: requests in flight are answered, the batch in flight is committed.
        case sigterm
    }

    /// Stopped in the middle of a burst, by kill -9 or SIGTERM: every grant that was answered 2xx
    /// survives, and the chain and projections verify after restart.
    @Test(arguments: Stop.allCases)
    func everyAnsweredGrantSurvivesAStopMidBurst(stop: Stop) async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let killAfter = 150
        let answered = AnsweredIds()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<32 {
                group.addTask {
                    for round in 0..<40 {
                        let index = worker * 1000 + round
                        guard let id = try? await grant(client, server.baseURL, index: index) else { return }
                        let count = answered.ids.withLock { ids in
                            ids.append(id)
                            return ids.count
                        }
                        if count == killAfter {
                            switch stop {
                            case .kill9: await server.kill9()
                            case .sigterm: server.terminate()
                            }
                        }
                    }
                }
            }
        }
        let acknowledged = answered.ids.withLock { $0 }
        if stop == .sigterm {
            #expect(await server.stop() == 0, "graceful shutdown must exit 0")
        }
        #expect(acknowledged.count >= killAfter)
        #expect(acknowledged.count < 32 * 40, "the stop came after the burst ended; the test proved nothing")

        let restarted = try await ServerProcess(dataDirectory: directory)
        for id in acknowledged {
            let code = try await status(client, "\(restarted.baseURL)/admin/connections/\(id)")
            #expect(code == 200, "grant \(id) was answered 201 before the \(stop) but is gone")
        }
        #expect(await restarted.stop() == 0)
        try await client.shutdown()

        let verify = try await runCLI(["verify", "--data-dir", directory])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("hash chain intact"))
    }
}

final class AnsweredIds: Sendable {
    let ids = Mutex<[String]>([])
}
