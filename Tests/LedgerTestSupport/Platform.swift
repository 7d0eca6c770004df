/// For tests of what only Linux does (a C library setting made when the program is loaded, the
/// ELF loader binding `malloc` to a linked library's): `@Test(.enabled(if: runsOnLinux))`.
#if os(Linux)
    public let runsOnLinux = true
#else
    public let runsOnLinux = false
#endif
