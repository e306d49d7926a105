"""Waits for the exec(2) of a NAME process (argv[0]'s last part) with each ARG as its first argument, and
prints when the last of them ran, in ns since the epoch, as the kernel stamped it; then exits.

The kernel's proc connector (a netlink socket, root only) reports each exec as it happens, so a benchmark
waits on a read instead of scanning /proc, and takes no CPU from the tools it times. "ready" is printed
once the subscription holds: an exec after that line is not missed.

Usage: python3 exec-watch.py NAME ARG...
"""
import os
import socket
import struct
import sys
import time

NETLINK_CONNECTOR = 11
CN_IDX_PROC = CN_VAL_PROC = 1
PROC_CN_MCAST_LISTEN = 1
PROC_EVENT_EXEC = 2
NLMSG_DONE = 3
# struct nlmsghdr (16 bytes), struct cn_msg (20), then struct proc_event: what, cpu, timestamp_ns, event data.
EVENT = 16 + 20


def main(name, args):
    name = name.encode()
    want = {a.encode() for a in args}
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind((0, CN_IDX_PROC))
    op = struct.pack("=I", PROC_CN_MCAST_LISTEN)
    msg = struct.pack("=IIIIHH", CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(op), 0) + op
    s.send(struct.pack("=IHHII", 16 + len(msg), NLMSG_DONE, 0, 0, 0) + msg)
    print("ready", flush=True)
    last = 0
    while want:
        data = s.recv(8192)
        what, _cpu, stamp = struct.unpack_from("=IIQ", data, EVENT)
        if what != PROC_EVENT_EXEC:
            continue
        pid = struct.unpack_from("=I", data, EVENT + 16)[0]
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue  # gone already: not a process that waits, as the ones looked for do
        if len(argv) > 1 and argv[1] in want and argv[0].rsplit(b"/", 1)[-1] == name:
            want.discard(argv[1])
            last = max(last, stamp)
    # The stamp is CLOCK_MONOTONIC; the caller's clock is the epoch's.
    print(last + time.time_ns() - time.monotonic_ns(), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: exec-watch.py NAME ARG...")
    main(sys.argv[1], sys.argv[2:])
