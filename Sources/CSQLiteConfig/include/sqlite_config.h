#ifndef GRANTLEDGER_SQLITE_CONFIG_H
#define GRANTLEDGER_SQLITE_CONFIG_H

// sqlite3_db_config is variadic, which Swift cannot call (GRDB wraps the options it sets itself
// the same way, in its shim.h, and not this one). Apple's SQLite turns defensive mode on by
// default, and that mode refuses the documented edit of a table's SQL that migration
// event_links_v1 makes; these read and set it around that edit. sqlite3_config, variadic too,
// turns SQLite's memory statistics off when the program is loaded. The connection is declared, not
// included, so that sqlite3.h's declarations reach Swift through GRDBSQLite only.

typedef struct sqlite3 sqlite3;

/// 1 when defensive mode is on, 0 when off, -1 when SQLite does not say.
int grantledger_sqlite_defensive(sqlite3 *db);

/// Sets defensive mode (on: 1 or 0); 0 (SQLITE_OK) on success.
int grantledger_sqlite_set_defensive(sqlite3 *db, int on);

/// 0 once SQLite's process-wide memory statistics are off (they are turned off when the program
/// is loaded, see sqlite_config.c), 1 when SQLite refused (it had started already) or the
/// constructor did not run.
int grantledger_sqlite_memory_statistics(void);

#endif
