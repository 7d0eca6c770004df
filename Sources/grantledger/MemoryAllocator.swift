import CMimalloc

/// Which malloc the process runs on, for `serve`'s banner: mimalloc when it took (see
/// CMimalloc), so an operator, and the integration test of the banner, can tell a binary that
/// fell back to the C library's.
enum MemoryAllocator {
    static var description: String {
        // mi_version() is the release as one number: 209 for 2.0.9.
        let version = grantledger_mimalloc_version()
        if version == 0 { return "the system's malloc (built without mimalloc)" }
        let mimalloc = "mimalloc \(version / 100).\(version / 10 % 10).\(version % 10)"
        if grantledger_malloc_is_mimalloc() == 1 {
            return "\(mimalloc); empty pages returned to the system after \(grantledger_mimalloc_decommit_delay_ms()) ms"
        }
        return "another library's malloc (\(mimalloc) is loaded but not in front of it)"
    }
}
