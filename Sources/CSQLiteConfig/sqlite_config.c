#include <sqlite3.h>

#include "sqlite_config.h"

static int memory_statistics = 1;

int grantledger_sqlite_memory_statistics(void) { return memory_statistics; }

int grantledger_sqlite_defensive(sqlite3 *db) {
    int on = -1;
    if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on) != SQLITE_OK) return -1;
    return on;
}

int grantledger_sqlite_set_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on ? 1 : 0, (int *)0);
}

// SQLite counts every allocation it makes in process-wide statistics under one mutex
// (SQLITE_DEFAULT_MEMSTATUS, on in Debian's build), and Debian's build also omits lookaside
// (SQLITE_OMIT_LOOKASIDE), so every small allocation of a statement goes through that mutex to
// malloc: about 150 of them per keysend payment, on the writer and on the readers alike. Nothing
// here reads those statistics (sqlite3_memory_used, a soft heap limit). The setting is taken only
// before SQLite initializes, which the first connection anywhere in the process does, so it is
// made when the program is loaded, before any code of ours or of GRDB's runs.
__attribute__((constructor)) static void grantledger_sqlite_process_settings(void) {
    memory_statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? 0 : 1;
}
