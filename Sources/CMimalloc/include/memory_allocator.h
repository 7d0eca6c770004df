#ifndef GRANTLEDGER_MEMORY_ALLOCATOR_H
#define GRANTLEDGER_MEMORY_ALLOCATOR_H

// The server's memory allocator: mimalloc (Debian's libmimalloc), linked into the `grantledger`
// executable ahead of the C library so that every malloc in the process (Swift's runtime,
// Foundation, SQLite, BoringSSL, ours) is mimalloc's. These say whether that took.

/// 1 when the process's malloc is mimalloc's, 0 when it is another library's (the C library's
/// when mimalloc was loaded after it, or one preloaded ahead of both) or mimalloc is not built in.
int grantledger_malloc_is_mimalloc(void);

/// mimalloc's version as it reports it: 209 for 2.0.9; 0 in a build without mimalloc.
int grantledger_mimalloc_version(void);

/// How long mimalloc keeps a page that emptied before giving it back to the system, in ms: 1,000
/// as set when the program is loaded (memory_allocator.c), or MIMALLOC_DECOMMIT_DELAY.
long grantledger_mimalloc_decommit_delay_ms(void);

#endif
