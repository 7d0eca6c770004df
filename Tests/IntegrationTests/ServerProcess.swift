import Dispatch
import Foundation
import Synchronization

/// The real `grantledger` binary, run as a child process the way an operator runs it.
final class ServerProcess: Sendable {
    static let adminToken = "integration-admin-token-0123456789"
    /// How long a server may take to print where it listens: starts took up to about 30 s in the
    /// full suite on two cores; ten times that is a hang.
    static let startSecondsMax = 300

    /// Built next to the test bundle by `swift build --build-tests` (the test target depends on it).
    static var binary: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the bundle is a plain executable in the build folder; on macOS it is inside an .xctest.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("grantledger").path),
            directory.path != "/"
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("grantledger")
    }

    static func temporaryDataDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gl-it-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    let process: ChildProcess
    let baseURL: String
    /// What the server has printed so far (its banner), up to `PrintedOutput.bytesMax`.
    private let output = PrintedOutput()
    /// Signalled by the thread that reaps the child, so a wait can have a deadline.
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `grantledger serve` on a free port and returns once it prints where it listens.
    /// The wait for that line is on a thread of its own (`onThreadOfItsOwn`): a start takes
    /// seconds when the full suite loads the machine.
    /// With `reservedPort` it listens on that port, held until the server listens beside it.
    init(
        dataDirectory: String, reservedPort: ReservedLoopbackPort? = nil, extraEnvironment: [String: String] = [:]
    ) async throws {
        defer { reservedPort?.release() }
        let port = reservedPort?.port ?? 0
        var environment = ProcessInfo.processInfo.environment
        environment["GRANTLEDGER_ADMIN_TOKEN"] = Self.adminToken
        environment.merge(extraEnvironment) { $1 }
        let stdout = try ChildPipe()
        let process: ChildProcess
        do {
            defer { stdout.closeWriteEnd() }
            process = try ChildProcess(
                Self.binary.path, ["serve", "--data-dir", dataDirectory, "--port", "\(port)", "--log-level", "warning"],
                environment: environment, stdout: stdout.write, stderr: ChildProcess.devNull)
        } catch {
            close(stdout.read)
            throw error
        }
        self.process = process
        // One thread reaps the child and signals, so a wait can have a deadline.
        let exited = self.exited
        Thread.detachNewThread {
            process.waitUntilExit()
            exited.signal()
        }
        // Reads the pipe until the first line arrives (or the process exits and closes it). A
        // server that neither prints it nor exits within `startSecondsMax` is killed, which
        // closes the pipe: the test fails with what it printed instead of waiting for ever.
        let descriptor = stdout.read
        let firstLineRead = DispatchSemaphore(value: 0)
        let processIdentifier = process.processIdentifier
        Thread.detachNewThread {
            if firstLineRead.wait(timeout: .now() + .seconds(Self.startSecondsMax)) == .timedOut {
                kill(processIdentifier, SIGKILL)
            }
        }
        let firstLine = try await onThreadOfItsOwn {
            var firstLine = ""
            while !firstLine.contains("\n") {
                let chunk = readChunk(descriptor)
                if chunk.isEmpty { break }
                firstLine += String(decoding: chunk, as: UTF8.self)
            }
            firstLineRead.signal()
            return firstLine
        }
        guard let line = firstLine.split(separator: "\n").first, line.hasPrefix("listening on ") else {
            kill(process.processIdentifier, SIGTERM)
            close(descriptor)
            throw ServerError(description: "server did not start; it printed: \(firstLine)")
        }
        baseURL = String(line.dropFirst("listening on ".count))
        let output = self.output
        output.append(Array(firstLine.utf8))
        // Keep draining stdout so the child never blocks on a full pipe. A plain thread doing
        // blocking reads until EOF: `readabilityHandler` registers a dispatch source on the fd,
        // and on Linux tearing those down while other tests do the same corrupts libdispatch (its
        // manager thread crashed here; swift-corelibs-libdispatch issue 949).
        Thread.detachNewThread {
            while true {
                let chunk = readChunk(descriptor)
                if chunk.isEmpty { break }
                output.append(chunk)
            }
            close(descriptor)
        }
    }

    /// The server's stdout so far, once it holds `needle` (the banner is printed line by line
    /// after "listening on"); nil if it does not within `seconds`. It looks once more after the
    /// deadline: in the full suite a sleeping test can wake past its deadline (the cooperative
    /// pool's two threads held by other tests for seconds), and the banner printed meanwhile
    /// counts.
    func printed(containing needle: String, within seconds: Double = 10) async throws -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let text = output.text
            if text.contains(needle) { return text }
            guard Date() < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `kill9()` with its wait on a thread of its own (`onThreadOfItsOwn`).
    func kill9() async {
        _ = try? await onThreadOfItsOwn { self.kill9() }
    }

    /// Sends SIGTERM (graceful shutdown) without waiting.
    func terminate() {
        kill(process.processIdentifier, SIGTERM)
    }

    /// SIGTERM, then waits for the exit; returns the exit status. A server that has not exited
    /// within `seconds` is killed and reported as status -1.
    @discardableResult
    func stop(within seconds: Int = 15) -> Int32 {
        if process.isRunning { terminate() }
        guard exited.wait(timeout: .now() + .seconds(seconds)) == .success else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        exited.signal()  // leave it signalled for any later wait
        return process.waitUntilExit()
    }

    /// `stop(within:)` with its wait (seconds, while the server drains) on a thread of its own
    /// (`onThreadOfItsOwn`). The blocking one stays for `defer` blocks, which cannot wait on a
    /// task; after a test's own `await stop()` it returns at once.
    @discardableResult
    func stop(within seconds: Int = 15) async -> Int32 {
        (try? await onThreadOfItsOwn { self.stop(within: seconds) }) ?? -1
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }
}

/// A child's stdout as read so far, shared between the thread draining the pipe and the test.
final class PrintedOutput: Sendable {
    static let bytesMax = 64 * 1024
    private let bytes = Mutex<[UInt8]>([])

    /// Keeps what fits under `bytesMax`.
    func append(_ chunk: [UInt8]) {
        bytes.withLock { $0.append(contentsOf: chunk.prefix(Self.bytesMax - $0.count)) }
    }

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a `grantledger` subcommand to completion and returns its exit status and output.
func runCLI(_ arguments: [String], environment: [String: String]? = nil) async throws -> (status: Int32, output: String) {
    try await runToCompletion(ServerProcess.binary, arguments, environment: environment)
}

/// Runs a program to completion; its exit status and its stdout and stderr together. With
/// `environment`, the child gets exactly that environment. The wait is on a thread of its own:
/// these children (browsers, fuzzers, crash cycles) run for seconds to minutes.
func runToCompletion(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws
    -> (status: Int32, output: String)
{
    try await onThreadOfItsOwn { try runBlocking(executable, arguments, environment: environment) }
}

/// `body`'s result, worked out on a thread of its own rather than the caller's: for blocking
/// waits on a child (its pipe, its exit). A test that blocks one of the cooperative pool's
/// threads (two on a 2-core machine) starves every other test meanwhile (a CI run's
/// ConcurrentReadsTests watchdog fired while two of them held both).
func onThreadOfItsOwn<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// The same, waiting on the caller's thread: for short CLI runs only.
private func runBlocking(_ executable: URL, _ arguments: [String], environment: [String: String]?) throws
    -> (status: Int32, output: String)
{
    try ChildProcess.output(of: executable.path, arguments, environment: environment, includingStderr: true)
}

/// Everything a child writes to the pipe, until it closes it; then closes the read end.
func readAll(_ pipe: ChildPipe) -> String {
    defer { close(pipe.read) }
    var data: [UInt8] = []
    while true {
        let chunk = readChunk(pipe.read)
        if chunk.isEmpty { break }
        data += chunk
    }
    return String(decoding: data, as: UTF8.self)
}

/// One blocking read(2); empty at end of file. Foundation's `availableData` and
/// `readDataToEndOfFile` treat EINTR (a signal, e.g. SIGCHLD from another test's child) as a
/// fatal error on Linux and crash the test process, so the pipe is read directly.
func readChunk(_ descriptor: Int32) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 { return Array(buffer.prefix(count)) }
        if count < 0 && errno == EINTR { continue }
        return []
    }
}
