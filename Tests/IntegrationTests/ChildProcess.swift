import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`: how these tests run the binary, its commands,
/// curl and the Python clients.
///
/// Not Foundation's `Process`: on Linux, up to Swift 6.3.1, its `run()` lists /proc/self/fd to
/// close what the child should not inherit, copying each entry's whole 256-byte name out of
/// glibc's buffer; that reads past the buffer and now and then crashes the process that spawns
/// (swiftlang/swift-corelibs-foundation#5472, fixed after 6.3.1). A clean CI run of this suite
/// died so on 2026-12-02 (`Process.run()` → `memmove`, signal 11). Here the child closes every
/// descriptor above stderr itself, with glibc's `posix_spawn_file_actions_addclosefrom_np`.
final class ChildProcess: @unchecked Sendable {
    let processIdentifier: pid_t
    /// Held while reaping, so one thread reaps and the others wait for its status.
    private let reaping = NSLock()
    private let state = NSLock()
    private var status: Int32?

    /// Starts `executable` (a path; no shell, no search) with `arguments`. `environment`: exactly
    /// that, or this process's. `stdout` and `stderr`: descriptors the child writes to instead
    /// of this process's (`devNull` for none). The child keeps no other descriptor of ours, and
    /// gets a process group of its own; it inherits the signal mask and ignored signals of the
    /// spawning thread, as it did from `Process`.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdout: Int32? = nil,
        stderr: Int32? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdout { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        if let stderr { posix_spawn_file_actions_adddup2(&actions, stderr, 2) }
        guard let closeFrom = Self.closeFrom, closeFrom(&actions, 3) == 0 else {
            throw ServerError(description: "posix_spawn_file_actions_addclosefrom_np is not available")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw ServerError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
    }

    /// Runs a program to completion on the calling thread: its exit status, and its stdout (with
    /// its stderr when `includingStderr`; else stderr goes where this process's goes).
    static func output(
        of executable: String, _ arguments: [String], environment: [String: String]? = nil, includingStderr: Bool
    ) throws -> (status: Int32, output: String) {
        let pipe = try ChildPipe()
        let process: ChildProcess
        do {
            defer { pipe.closeWriteEnd() }
            process = try ChildProcess(
                executable, arguments, environment: environment, stdout: pipe.write,
                stderr: includingStderr ? pipe.write : nil)
        } catch {
            close(pipe.read)
            throw error
        }
        let output = readAll(pipe)
        return (process.waitUntilExit(), output)
    }

    /// An open descriptor of /dev/null, for output nobody reads.
    static let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does
    /// not declare.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Whether it has not been reaped yet.
    var isRunning: Bool { state.withLock { status == nil } }

    /// Waits for the child to exit and returns its exit status, or the signal that ended it (as
    /// `Process.terminationStatus` did).
    @discardableResult
    func waitUntilExit() -> Int32 {
        reaping.lock()
        defer { reaping.unlock() }
        if let status = state.withLock({ status }) { return status }
        var raw: Int32 = 0
        while waitpid(processIdentifier, &raw, 0) == -1, errno == EINTR {}
        // WIFEXITED and WEXITSTATUS are macros Swift does not import.
        let signal = raw & 0x7F
        let exitStatus = signal == 0 ? (raw >> 8) & 0xFF : signal
        state.withLock { status = exitStatus }
        return exitStatus
    }
}

/// A pipe whose descriptors the test process's other children do not inherit.
struct ChildPipe {
    let read: Int32
    let write: Int32

    init() throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw ServerError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        read = descriptors[0]
        write = descriptors[1]
    }

    /// Closes this process's write end once a child holds its own copy: the reader then sees the
    /// end of the output when the child exits.
    func closeWriteEnd() { close(write) }
}
