#include <mimalloc.h>
#include <stdlib.h>

#include "memory_allocator.h"

int grantledger_malloc_is_mimalloc(void) {
    // Through the process's malloc (whichever library the loader bound it to), not mi_malloc:
    // memory from mimalloc lies in a region mimalloc reserved.
    void *probe = malloc(16);
    if (probe == NULL) return 0;
    int mine = mi_is_in_heap_region(probe) ? 1 : 0;
    free(probe);
    return mine;
}

int grantledger_mimalloc_version(void) { return mi_version(); }
