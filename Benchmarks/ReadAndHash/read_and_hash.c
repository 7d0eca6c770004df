// The baseline replay is measured against (issue 15, goal 1): read every row of the `events`
// table in seq order and SHA-256 each one, as fast as SQLite and OpenSSL allow on this machine.
// No decoding, no projections: what "reading the log" costs.
//
//   cc -O2 -Wno-deprecated-declarations -o read-and-hash read_and_hash.c -lsqlite3 -lcrypto
//   ./read-and-hash ledger.sqlite        # prints rows, seconds, rows/s and the last digest
#include <openssl/sha.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s LEDGER.sqlite\n", argv[0]);
        return 2;
    }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_stmt *rows;
    const char *sql = "SELECT seq, event_id, idempotency_key, stream, stream_version, type, type_version, data, meta, "
                      "recorded_at, prev_hash, hash FROM events ORDER BY seq";
    if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot read events: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long long count = 0;
    unsigned char digest[SHA256_DIGEST_LENGTH] = {0};
    int columns = sqlite3_column_count(rows);
    while (sqlite3_step(rows) == SQLITE_ROW) {
        SHA256_CTX hasher;
        SHA256_Init(&hasher);
        for (int column = 0; column < columns; column++) {
            // Every column's bytes as SQLite holds them (integers as their text), one row one digest.
            const void *bytes = sqlite3_column_blob(rows, column);
            int length = sqlite3_column_bytes(rows, column);
            if (bytes != NULL) SHA256_Update(&hasher, bytes, (size_t)length);
        }
        SHA256_Final(digest, &hasher);
        count++;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%lld rows in %.2f s: %.0f rows/s (last digest %02x%02x%02x%02x…)\n", count, seconds,
           count / (seconds > 0 ? seconds : 1e-9), digest[0], digest[1], digest[2], digest[3]);
    sqlite3_finalize(rows);
    sqlite3_close(db);
    return 0;
}
