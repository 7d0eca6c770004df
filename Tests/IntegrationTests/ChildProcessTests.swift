import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The tests' own way to start children (`ChildProcess`), in place of Foundation's `Process`.
@Suite struct ChildProcessTests {
    /// The child keeps stdin, stdout and stderr only: a descriptor of ours that is not
    /// close-on-exec (as SQLite's and sockets' may be) is not inherited. `ls` itself opens the
    /// directory it lists, as the lowest free descriptor: 3.
    @Test func aChildInheritsOnlyItsStandardDescriptors() throws {
        let leaked = open("/dev/null", O_RDONLY)
        #expect(leaked > 2)
        defer { close(leaked) }
        let (status, output) = try ChildProcess.output(of: "/bin/ls", ["/proc/self/fd"], includingStderr: false)
        #expect(status == 0)
        #expect(output.split(separator: "\n").map(String.init) == ["0", "1", "2", "3"])
    }

    /// The status is the exit code, or the signal that ended the child, as `Process` gave it.
    /// (Only SIGKILL here: the child inherits the spawning thread's signal mask, as it did with
    /// `Process`, and a dispatch thread may block SIGTERM.)
    @Test(arguments: [("exit 0", Int32(0)), ("exit 3", 3), ("kill -9 $$", 9)])
    func theStatusIsTheExitCodeOrTheSignal(_ script: String, _ status: Int32) throws {
        let child = try ChildProcess("/bin/sh", ["-c", script])
        #expect(child.isRunning)
        #expect(child.waitUntilExit() == status)
        #expect(!child.isRunning)
        #expect(child.waitUntilExit() == status, "a second wait gives the same status")
    }

    @Test func aProgramThatCannotStartIsAnError() {
        #expect(throws: ServerError.self) { try ChildProcess("/no/such/program", []) }
    }
}
