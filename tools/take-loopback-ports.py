#!/usr/bin/env python3
"""Takes loopback ports as fast as it can, to reproduce "picked a free port, bound it later" races.

Usage: tools/take-loopback-ports.py HOLD   (run two at once: each holds HOLD sockets, so its
open-file limit, `ulimit -n`, must be above HOLD; 20000 on the VM these figures come from)

Binds 127.0.0.1:0 in a loop (the kernel picks a free ephemeral port), keeps the last HOLD sockets
and closes the oldest. With the range nearly held (two of these at 13900 each against
32768-60999), a port released and bound again a few milliseconds later is usually taken in
between. Measured 2026-12-05: the server with its mock origin exited right after it listened in
10 of 30 starts before the origin held its own port and 0 of 30 after; a test that picked the
server's port and released it failed 6 starts in 6, and 0 in 6 with `ReservedLoopbackPort`;
`tools/crash-cycles.sh 3`, which restarts the server on the port it picked, failed 2 runs in 3
(the server exited: address in use) with two of these at 10000, and 0 in 3 holding the port.
Two at 13900 leave so few ports that any socket's own bind to port 0 fails now and then.
"""
import collections
import socket
import sys

hold = int(sys.argv[1]) if len(sys.argv) > 1 else 13900
held = collections.deque()
while True:
    try:
        taken = socket.socket()
    except OSError:  # out of descriptors: HOLD is above this process's limit
        sys.exit(f"cannot open a socket with {len(held)} held: raise `ulimit -n` above HOLD ({hold})")
    try:
        taken.bind(("127.0.0.1", 0))
    except OSError:  # the range is full for the moment: let the oldest go and go on
        taken.close()
        if held:
            held.popleft().close()
        continue
    held.append(taken)
    if len(held) > hold:
        held.popleft().close()
