import ArgumentParser
import Dispatch

/// The process's entry point: the command runs on Swift concurrency's pool while the main thread
/// waits for it.
///
/// Not `@main` on the async command itself: on Linux an async `main` ends by handing the main
/// thread to `dispatch_main`, which exits it (`pthread_exit`) and parks the process in
/// `sigsuspend`. Valgrind (Debian's 3.19, and 3.24) stops there with an internal SIGSEGV on this
/// kernel before the command has run, so no instruction count could be taken
/// (`tools/instructions.sh`). Nothing in the process runs on the main queue or the main actor,
/// so a main thread that waits changes nothing else.
@main
enum GrantLedgerMain {
    static func main() {
        let finished = DispatchSemaphore(value: 0)
        // Detached: a task made here would inherit the main actor, whose queue no one drains.
        Task.detached {
            // Exits the process itself (with the command's status) when the command fails.
            await GrantLedgerCommand.main()
            finished.signal()
        }
        finished.wait()
    }
}
