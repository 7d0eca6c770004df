#!/usr/bin/env python3
"""The ledger's filesystem turns read-only under a running server (issue 15, "the store under faults").

What a failing disk does to a database: ext4 mounted `errors=remount-ro` makes itself read-only on
an I/O error, under every open file. This makes a small ext4 image on a loop device (needs root),
starts the real server with its data there, writes, then forces that error (the kernel's
`trigger_fs_error`), and checks:

- writes answer 503 with a clear error (never a 500, never a hang), and keep answering it;
- reads keep working (`/health`, `GET /admin/connections/{id}`), except reads of the audit log,
  which need their own record and answer 503 too;
- after the operator's repair (stop, unmount, `fsck`, mount read-write) every request answered
  201 is in the log, none answered 503 is, `verify` passes, and a restarted server writes again;
- a server started on a read-only filesystem refuses to start and says why; `replay` and `backup`
  there fail and leave the ledger as it was.

    python3 tools/read_only.py --binary .build/debug/grantledger
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_cycles import Checks, Server, call, events_by_request  # noqa: E402

SIZE_MB = 64


def run(*command):
    return subprocess.run(list(command), capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("SKIP - a loop device needs root")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    work = tempfile.mkdtemp(prefix="gl-read-only-")
    image, mount = os.path.join(work, "ext4.img"), os.path.join(work, "mnt")
    os.makedirs(mount)
    with open(image, "wb") as file:
        file.truncate(SIZE_MB * 1024 * 1024)
    made = run("mkfs.ext4", "-q", "-F", image)
    mounted = run("mount", "-o", "loop,errors=remount-ro", image, mount) if made.returncode == 0 else made
    if mounted.returncode != 0:
        print(f"SKIP - cannot make and mount an ext4 image here: {(mounted.stderr or mounted.stdout).strip()}")
        os.remove(image)
        os.rmdir(mount)
        os.rmdir(work)
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
        outcomes = []

        def grant(request_id, name):
            status, answer = call(port, "POST", "/admin/connections",
                                  {"user_id": "disk", "name": name, "scopes": ["pay_invoice"]},
                                  headers={"X-Request-Id": request_id}, timeout=10)
            outcomes.append((request_id, status))
            return status, answer

        status, answer = grant("crash-ro-first", "Before")
        expect(status == 201, f"a write before the filesystem turns read-only: {status}")
        connection_id = json.loads(answer)["id"]
        for index in range(20):
            grant(f"crash-ro-before-{index}", f"Before {index}")

        device = os.path.basename(run("findmnt", "-n", "-o", "SOURCE", mount).stdout.strip())
        with open(f"/sys/fs/ext4/{device}/trigger_fs_error", "w") as trigger:
            trigger.write("grantledger read-only test\n")
        try:
            open(os.path.join(mount, "probe"), "w").close()
            expect(False, "the filesystem is read-only now")
        except OSError as error:
            expect(error.errno == 30, f"the filesystem is read-only now: {error}")

        refused = [grant(f"crash-ro-during-{index}", f"During {index}") for index in range(5)]
        statuses = [status for status, _ in refused]
        first_answer = refused[0][1]
        expect(all(status == 503 for status in statuses), f"writes answer 503 while it is read-only: {statuses}")
        expect(b"storage" in first_answer, f"with a clear error: {first_answer[:240]!r}")
        health, _ = call(port, "GET", "/health")
        read, read_answer = call(port, "GET", f"/admin/connections/{connection_id}")
        expect(health == 200 and read == 200 and b"Before" in read_answer,
               f"reads keep working: /health {health}, GET connection {read}")
        audit, audit_answer = call(port, "GET", "/audit/events?limit=1")
        expect(audit == 503, f"a read of the audit log needs its own record: {audit} {audit_answer[:160]!r}")

        # The operator's repair: stop the server, fsck, mount read-write again.
        try:
            server.stop()
        except subprocess.TimeoutExpired:
            server.kill9()
        server = None
        expect(run("umount", mount).returncode == 0, "unmounted after the server stopped")
        repaired = run("fsck.ext4", "-f", "-y", image)
        expect(repaired.returncode in (0, 1), f"fsck: exit {repaired.returncode}")
        expect(run("mount", "-o", "loop,errors=remount-ro", image, mount).returncode == 0, "mounted read-write again")

        found = events_by_request(os.path.join(data, "ledger.sqlite"))
        answered = [rid for rid, status in outcomes if status == 201]
        refused_ids = [rid for rid, status in outcomes if status is not None and status >= 500]
        expect(all(rid in found for rid in answered), f"every one of {len(answered)} writes answered 201 is in the log")
        expect(refused_ids and not any(rid in found for rid in refused_ids), f"none of {len(refused_ids)} answered 503 is")
        verify = run(args.binary, "verify", "--data-dir", data)
        expect(verify.returncode == 0, f"verify after the repair: {verify.stdout.strip()[:200]}")

        server = Server(args.binary, data, None)
        server.start()
        port = server.port
        status, _ = grant("crash-ro-after", "After")
        expect(status == 201, f"a restarted server writes again: {status}")
        server.stop()
        server = None
        before = run(args.binary, "verify", "--data-dir", data)

        # Started on a read-only filesystem: refuse, and say why; the tools leave the ledger as it was.
        expect(run("mount", "-o", "remount,ro", mount).returncode == 0, "remounted read-only")
        env = dict(os.environ, GRANTLEDGER_ADMIN_TOKEN="read-only-admin-token-0123456789")
        try:
            started = subprocess.run([args.binary, "serve", "--data-dir", data, "--port", "0"], env=env,
                                     capture_output=True, text=True, timeout=30)
            said = (started.stderr + started.stdout).strip()
            expect(started.returncode != 0 and "read-only filesystem" in said,
                   f"a server on a read-only filesystem refuses to start and says why ({started.returncode}): {said[-200:]}")
        except subprocess.TimeoutExpired:
            expect(False, "a server on a read-only filesystem refuses to start (it kept running)")
        replay = run(args.binary, "replay", "--data-dir", data)
        expect(replay.returncode != 0 and "read-only" in (replay.stderr + replay.stdout).lower(),
               f"replay fails and says why: {(replay.stderr or replay.stdout).strip()[:200]}")
        backup_path = os.path.join(work, "backup.sqlite")
        backup = run(args.binary, "backup", "--data-dir", data, "--out", backup_path)
        leftovers = [name for name in os.listdir(work) if name.startswith("backup")]
        expect(backup.returncode != 0 and not leftovers,
               f"backup fails ({(backup.stderr or backup.stdout).strip()[:200]}) and leaves no file {leftovers}")
        run("mount", "-o", "remount,rw", mount)
        after = run(args.binary, "verify", "--data-dir", data)
        expect(before.returncode == 0 and after.stdout == before.stdout,
               "the ledger is as it was (verify prints the same events and checksums)")
    finally:
        if server is not None and server.alive():
            server.kill9()
        unmounted = run("umount", "-l", mount)
        if unmounted.returncode != 0 and "not mounted" not in unmounted.stderr:
            print(f"FAIL - could not unmount {mount}: {unmounted.stderr.strip()}")
            failures.append("unmount")
        for leftover in (image, os.path.join(work, "backup.sqlite")):
            if os.path.exists(leftover):
                os.remove(leftover)
        try:
            os.rmdir(mount)
            os.rmdir(work)
        except OSError:
            pass
    print(f"{len(failures)} failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
