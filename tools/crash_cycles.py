#!/usr/bin/env python3
"""Kill -9 the real server N times under a mixed load, and check after each restart that the log
holds exactly what was answered (issue 15, "the store under faults").

Each cycle starts `grantledger serve` on the same data directory, runs a mixed load from several
threads (admin writes: grants; payments: reserves and settles through /v1 that may go over budget;
OAuth client_credentials grants; audit record batches; malformed requests refused before any
decision), and SIGKILLs the server at a random moment. After the restart, every request carries its
own X-Request-Id, which the log keeps in each event's metadata, so:

- every request answered 2xx has its event(s) in the log;
- a request answered 5xx, or refused before a decision (a malformed body), has nothing there;
- a 4xx decision (over budget) appears only as its denial event (SpendDenied, CommandRejected);
- a request that got no answer (the kill) may or may not be there: it is only counted.

After the last cycle the server is stopped and `grantledger verify` must pass (chain, triggers, a
fresh replay equal to the live projections). Only the standard library: it runs before any venv.

    python3 tools/crash_cycles.py --binary .build/release/grantledger --cycles 20 [--seconds-max 3]
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from event_storage import key_text, row_json, type_text  # tools/: the log's columns, however stored

ADMIN_TOKEN = "crash-cycles-admin-token-0123456789"
DENIALS = {"SpendDenied", "CommandRejected"}


class Server:
    def __init__(self, binary, data_dir, port):
        self.binary, self.data_dir, self.port = binary, data_dir, port
        self.process = None
        self.reservation = None

    def start(self):
        env = dict(os.environ, GRANTLEDGER_ADMIN_TOKEN=ADMIN_TOKEN)
        # A free port now, not a fixed one: another server on it would answer /ready for ours.
        # It stays held for as long as this object lives, across every kill and restart: a socket
        # bound with SO_REUSEADDR that never listens, beside which the server (whose listener sets
        # SO_REUSEADDR too) binds, while other sockets' bind or connect pass the port by. A port
        # released and bound again a second later could be taken in between (the Swift tests'
        # ReservedLoopbackPort; tools/take-loopback-ports.py reproduces it).
        if self.port is None:
            self.reservation = socket.socket()
            self.reservation.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.reservation.bind(("127.0.0.1", 0))
            self.port = self.reservation.getsockname()[1]
        log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data-dir", self.data_dir, "--port", str(self.port), "--log-level", "warning"],
            stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.data_dir}/server.log")
            try:
                status, _ = call(self.port, "GET", "/ready", timeout=1)
                if status == 200 and self.process.poll() is None:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not become ready within 60 s")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


class Checks:
    """PASS/FAIL lines as the fault tools print them, and the failures counted for their exit."""

    def __init__(self):
        self.failures = []

    def expect(self, condition, message):
        print(("PASS - " if condition else "FAIL - ") + message, flush=True)
        if not condition:
            self.failures.append(message)


def call(port, method, path, body=None, headers=None, timeout=5, raw=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        all_headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"}
        all_headers.update(headers or {})
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Load:
    """The mixed load of one cycle; every request is remembered with its id and its answer."""

    def __init__(self, port, setup):
        self.port, self.setup = port, setup
        self.outcomes = []  # (request_id, kind, status or None)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def send(self, kind, method, path, body=None, raw=None, headers=None):
        request_id = f"crash-{kind}-{uuid.uuid4().hex}"
        all_headers = {"X-Request-Id": request_id}
        all_headers.update(headers or {})
        try:
            status, answer = call(self.port, method, path, body=body, raw=raw, headers=all_headers)
        except (OSError, http.client.HTTPException):
            status, answer = None, b""
        with self.lock:
            self.outcomes.append((request_id, kind, status))
        return status, answer

    def worker(self, seed):
        rng = random.Random(seed)
        setup = self.setup
        while not self.stop.is_set():
            choice = rng.random()
            if choice < 0.25:
                self.send("grant", "POST", "/admin/connections",
                          {"user_id": f"crash-user-{rng.randrange(20)}", "name": "Crash", "scopes": ["pay_invoice"],
                           "budget": "5000000/daily"})
            elif choice < 0.55:
                # Some reserves go over the budget: a 4xx decision, recorded as SpendDenied.
                amount = rng.choice([1000, 2000, 50_000_000])
                status, answer = self.send("reserve", "POST", f"/v1/connections/{setup['connection']}/spends",
                                           {"amount_msat": amount})
                if status == 201:
                    spend = json.loads(answer).get("id")
                    if spend and rng.random() < 0.7:
                        self.send("settle", "POST", f"/v1/spends/{spend}/settle", {"amount_msat": amount})
                    elif spend:
                        self.send("release", "POST", f"/v1/spends/{spend}/release", {})
            elif choice < 0.7:
                form = f"grant_type=client_credentials&scope=balance:read"
                self.send("oauth", "POST", "/oauth/token", raw=form,
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "Authorization": "Basic " + setup["basic"]})
            elif choice < 0.9:
                records = [{
                    "event": {"code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM"},
                    "action": "R", "occurred_at": "2026-11-30T12:00:00Z",
                    "user": {"id": f"uzi:{rng.randrange(500):06d}", "role": "01.015"},
                    "subject": {"id_type": "urn:oid:2.16.840.1.113883.2.4.6.3", "id": str(rng.randrange(10_000))},
                    "authorization_protocol": "consent:1", "outcome": "success"} for _ in range(rng.randrange(1, 20))]
                self.send("audit", "POST", "/audit/access", {"records": records})
            else:
                # Refused before any decision: nothing may reach the log.
                self.send("malformed", "POST", "/admin/connections", raw='{"user_id": ')


def base64(text):
    import base64 as b64
    return b64.b64encode(text.encode()).decode()


def prepare(port):
    status, answer = call(port, "POST", "/admin/clients",
                          {"name": "crash-client", "redirect_uris": ["https://example.com/cb"], "public": False,
                           "scopes": ["balance:read"]})
    assert status == 201, (status, answer)
    client = json.loads(answer)
    status, answer = call(port, "POST", "/admin/connections",
                          {"user_id": "crash-payer", "name": "Payer", "scopes": ["pay_invoice"], "budget": "20000/daily"})
    assert status == 201, (status, answer)
    return {"connection": json.loads(answer)["id"],
            "basic": base64(f"{client['client_id']}:{client['client_secret']}")}


def events_by_request(database):
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        found = {}
        for event_type, stream, recorded_at, data, meta in connection.execute(
                "SELECT type, stream, recorded_at, data, meta FROM events"):
            try:
                _, meta = row_json(key_text(stream, "stream"), recorded_at, data, meta)
            except ValueError as error:  # a damaged row: verify, run after, names it
                print(f"an event's data or meta does not decode ({error}): skipped", file=sys.stderr)
                continue
            request_id = json.loads(meta).get("request_id", "")
            if request_id.startswith("crash-"):
                found.setdefault(request_id, []).append(type_text(event_type))
        return found
    finally:
        connection.close()


def check(outcomes, found):
    """One cycle's requests against the log. A 2xx must have its events and no denial among them;
    a reserve refused 4xx is a decision and must be exactly its denial; any other 4xx may have been
    refused before deciding (nothing) or decided (its denial only)."""
    problems = []
    counts = {"2xx": 0, "4xx decision": 0, "4xx before a decision": 0, "5xx": 0, "no answer": 0,
              "no answer, in the log": 0}
    for request_id, kind, status in outcomes:
        events = found.get(request_id, [])
        if status is None:
            counts["no answer"] += 1
            counts["no answer, in the log"] += bool(events)
        elif 200 <= status < 300:
            counts["2xx"] += 1
            if not events or DENIALS & set(events):
                problems.append(f"{kind} {request_id} was answered {status} but the log has {events}")
        elif status >= 500:
            counts["5xx"] += 1
            if events:
                problems.append(f"{kind} {request_id} was answered {status} but the log has {events}")
        elif kind == "malformed":
            counts["4xx before a decision"] += 1
            if events:
                problems.append(f"{kind} {request_id} was refused before a decision but the log has {events}")
        else:
            counts["4xx decision"] += 1
            denied_alone = bool(events) and set(events) <= DENIALS
            if (kind == "reserve" and not denied_alone) or not set(events) <= DENIALS:
                problems.append(f"{kind} {request_id} was answered {status} but the log has {events}")
    return counts, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--seconds-max", type=float, default=3.0, help="longest a cycle runs before the kill")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="crash-cycles-")
    rng = random.Random(args.seed)
    server = Server(args.binary, data_dir, None)
    print(f"crash cycles: {args.cycles}, seed {args.seed}, data {data_dir}", flush=True)
    try:
        return run(args, rng, server, data_dir)
    finally:
        if server.alive():
            server.kill9()


def run(args, rng, server, data_dir):
    server.start()
    port = server.port
    setup = prepare(port)
    failures = 0
    totals = {}
    kinds_answered = set()
    started = time.monotonic()
    for cycle in range(1, args.cycles + 1):
        load = Load(port, setup)
        threads = [threading.Thread(target=load.worker, args=(rng.random(),)) for _ in range(args.threads)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.3, args.seconds_max))
        server.kill9()
        load.stop.set()
        for thread in threads:
            thread.join()
        server.start()
        counts, problems = check(load.outcomes, events_by_request(os.path.join(data_dir, "ledger.sqlite")))
        kinds_answered |= {kind for _, kind, status in load.outcomes if status is not None and 200 <= status < 300}
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        line = ", ".join(f"{value} {key}" for key, value in counts.items())
        print(f"cycle {cycle}: {'ok' if not problems else 'FAILED'}: {line}", flush=True)
        for problem in problems[:20]:
            print(f"  {problem}", flush=True)
        failures += bool(problems)
    # The load must have been what it claims: every kind answered, and some decisions refused.
    missing = {"grant", "reserve", "oauth", "audit"} - kinds_answered
    if missing or totals.get("4xx decision", 0) == 0:
        print(f"FAILED: the load did not exercise everything: no 2xx for {sorted(missing)}, "
              f"{totals.get('4xx decision', 0)} 4xx decisions")
        failures += 1
    status = server.stop()
    verify = subprocess.run([args.binary, "verify", "--data-dir", data_dir], capture_output=True, text=True)
    print(f"graceful stop: exit {status}; verify: exit {verify.returncode}")
    print(verify.stdout.strip()[-1500:])
    if verify.returncode != 0:
        print(verify.stderr.strip()[-1500:])
    print("totals: " + ", ".join(f"{value} {key}" for key, value in totals.items()))
    print(f"{args.cycles} cycles in {time.monotonic() - started:.1f}s, {failures} failed")
    return 0 if failures == 0 and verify.returncode == 0 and status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
