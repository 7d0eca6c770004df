#!/usr/bin/env python3
"""The ledger on a filesystem that fills up (issue 15, "the store under faults").

Mounts a small tmpfs (needs root: CAP_SYS_ADMIN), starts the real server with its data there,
fills the rest of the filesystem with a file, and writes until the ledger cannot: then

- writes answer 503 with a clear error (never a 500, never a hang);
- reads keep working (`/health`, `GET /admin/connections/{id}`), except reads of the audit log,
  which need their own record and answer 503 too;
- once the filler is removed, writing resumes by itself, without a restart;
- every request answered 2xx is in the log, none answered 503 is; `verify` passes;
- `grantledger backup` onto the full filesystem fails with a clear error and leaves no file, and
  `grantledger replay` on it fails and leaves the ledger as it was (`verify` still passes);
- a backup with room for its own record but not for the copy fails part-way and leaves no
  partial file.

    python3 tools/disk_full.py --binary .build/debug/grantledger
"""

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_cycles import ADMIN_TOKEN, Checks, Server, call, events_by_request  # noqa: E402

SIZE_MB = 16


def fill(path):
    """Writes zeros to `path` until the filesystem is full."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def event_count(database):
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("SKIP - mounting a tmpfs needs root")
        return 0
    # A harness's SIGTERM runs the clean-up below too (unmount, stop the server).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    mount = tempfile.mkdtemp(prefix="gl-disk-full-")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", mount], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"SKIP - cannot mount a tmpfs here: {result.stderr.strip()}")
        return 0
    checks = Checks()
    expect, failures = checks.expect, checks.failures

    server = None
    try:
        data = os.path.join(mount, "data")
        os.makedirs(data)
        server = Server(args.binary, data, None)
        server.start()
        port = server.port
        status, answer = call(port, "POST", "/admin/connections",
                              {"user_id": "disk", "name": "Before", "scopes": ["pay_invoice"]})
        expect(status == 201, f"a write before the disk fills: {status}")
        connection_id = json.loads(answer)["id"]

        # Fill what is left, but a little, so the ledger runs out after some writes.
        filler = os.path.join(mount, "filler")
        fill(filler)
        os.truncate(filler, max(0, os.path.getsize(filler) - 256 * 1024))

        outcomes, full_status, full_answer = [], None, b""
        for index in range(5000):
            request_id = f"crash-disk-{index}"
            status, answer = call(port, "POST", "/admin/connections",
                                  {"user_id": "disk", "name": f"Grant {index} " + "x" * 150, "scopes": ["pay_invoice"]},
                                  headers={"X-Request-Id": request_id}, timeout=10)
            outcomes.append((request_id, "grant", status))
            if status != 201:
                full_status, full_answer = status, answer
                break
        expect(full_status == 503, f"once the disk is full, a write answers 503 (after {len(outcomes)} writes): {full_status} {full_answer[:200]!r}")
        expect(b"storage" in full_answer or b"retry" in full_answer, f"with a clear error: {full_answer[:200]!r}")
        again, _ = call(port, "POST", "/admin/connections", {"user_id": "disk", "name": "Again", "scopes": ["pay_invoice"]},
                        headers={"X-Request-Id": "crash-disk-again"})
        outcomes.append(("crash-disk-again", "grant", again))
        expect(again == 503, f"and keeps answering 503 while it is: {again}")
        health, _ = call(port, "GET", "/health")
        read, _ = call(port, "GET", f"/admin/connections/{connection_id}")
        expect(health == 200 and read == 200, f"reads keep working: /health {health}, GET connection {read}")
        audit, audit_answer = call(port, "GET", "/audit/events?limit=1")
        expect(audit == 503, f"a read of the audit log needs its own record: {audit} {audit_answer[:120]!r}")

        os.remove(filler)

        def write_until(expected, label, attempts=50):
            status = None
            for attempt in range(attempts):
                request_id = f"crash-disk-{label}-{attempt}"
                status, _ = call(port, "POST", "/admin/connections",
                                 {"user_id": "disk", "name": label, "scopes": ["pay_invoice"]},
                                 headers={"X-Request-Id": request_id})
                outcomes.append((request_id, "grant", status))
                if status == expected:
                    break
                time.sleep(0.1)
            return status

        expect(write_until(201, "resumed") == 201, "writing resumes by itself once space returns")

        status = server.stop()
        server = None
        found = events_by_request(os.path.join(data, "ledger.sqlite"))
        answered = [rid for rid, _, s in outcomes if s == 201]
        refused = [rid for rid, _, s in outcomes if s is not None and s >= 500]
        expect(all(rid in found for rid in answered), f"every one of {len(answered)} writes answered 201 is in the log")
        expect(not any(rid in found for rid in refused), f"none of {len(refused)} answered 503 is")
        verify = subprocess.run([args.binary, "verify", "--data-dir", data], capture_output=True, text=True)
        expect(status == 0 and verify.returncode == 0, f"graceful stop {status}; verify: {verify.stdout.strip()[:200]}")

        # The command-line tools on a full disk: a failure leaves the original untouched.
        fill(filler)
        def state(report):  # the event count and every projection's checksum, as verify prints them
            return [line.split(",")[0] if line.startswith("OK:") else line for line in report.splitlines()
                    if line.startswith("OK:") or line.startswith("  ") and " " in line.strip() and "keys" not in line]
        before = state(verify.stdout)
        backup_path = os.path.join(mount, "backup.sqlite")
        backup = subprocess.run([args.binary, "backup", "--data-dir", data, "--out", backup_path], capture_output=True, text=True)
        leftovers = [name for name in os.listdir(mount) if name.startswith("backup")]
        expect(backup.returncode != 0 and not leftovers,
               f"backup onto a full disk fails ({backup.returncode}: {(backup.stderr or backup.stdout).strip()[:160]}) and leaves no file {leftovers}")
        replay = subprocess.run([args.binary, "replay", "--data-dir", data], capture_output=True, text=True)
        os.remove(filler)
        verify = subprocess.run([args.binary, "verify", "--data-dir", data], capture_output=True, text=True)
        after = state(verify.stdout)
        expect(replay.returncode != 0 and verify.returncode == 0 and before == after and len(before) > 5,
               f"replay on a full disk fails ({replay.returncode}: {(replay.stderr or replay.stdout).strip()[:160]}) and leaves the ledger as it was (same events and projection checksums; verify passes)")

        # Room for the backup's own record of the read, not for the copy: it fails part-way
        # through writing backup.sqlite.partial, which must not be left behind either.
        # (The record's commit needs a few dozen pages of WAL; the compacted copy is about 300 kB.)
        fill(filler)
        os.truncate(filler, max(0, os.path.getsize(filler) - 192 * 1024))
        events_before = event_count(os.path.join(data, "ledger.sqlite"))
        backup = subprocess.run([args.binary, "backup", "--data-dir", data, "--out", backup_path], capture_output=True, text=True)
        leftovers = [name for name in os.listdir(mount) if name.startswith("backup")]
        recorded = event_count(os.path.join(data, "ledger.sqlite")) - events_before
        os.remove(filler)
        expect(backup.returncode != 0 and recorded == 1 and not leftovers,
               f"backup that runs out of room part-way (its record written: {recorded} event) fails ({backup.returncode}: {(backup.stderr or backup.stdout).strip()[:160]}) and leaves no partial file {leftovers}")
    finally:
        if server is not None and server.alive():
            server.kill9()
        unmounted = subprocess.run(["umount", "-l", mount], capture_output=True, text=True)
        if unmounted.returncode == 0:
            os.rmdir(mount)
        else:
            print(f"FAIL - could not unmount {mount}: {unmounted.stderr.strip()}")
            failures.append("unmount")
    print(f"{len(failures)} failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
