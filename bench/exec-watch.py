"""Waits for the exec(2) of a NAME process (argv[0]'s last part) with each ARG as its first argument, and
prints when the last of them ran, in ns since the epoch, as the kernel stamped it; then the CPU time this
watcher used from "ready" on, in ns; then exits.

The kernel's proc connector (a netlink socket, root in the initial namespaces only) reports each exec as it
happens, so a benchmark waits on a read instead of scanning /proc. "ready" is printed once the kernel has
acknowledged the subscription: an exec after that line is not missed. A lost event (the receive buffer
overflowed) is an error, not a guess.

Usage: python3 exec-watch.py NAME ARG...
"""
import errno
import os
import select
import socket
import struct
import sys
import time

NETLINK_CONNECTOR = 11
CN_IDX_PROC = CN_VAL_PROC = 1
PROC_CN_MCAST_LISTEN = 1
PROC_EVENT_NONE, PROC_EVENT_EXEC = 0, 2
NLMSG_DONE = 3
SO_RCVBUFFORCE = 33
# struct nlmsghdr (16 bytes); struct cn_msg: idx, val, seq, ack, len, flags (20); then struct proc_event:
# what, cpu, timestamp_ns (16), then the event's data (exec: pid, tgid; the subscription's ack: err).
CN_MSG = 16
EVENT = CN_MSG + 20


def control(s, op, ack=0):
    """Sends the proc connector an op (struct proc_input, or its first field alone on kernels before 6.6)."""
    msg = struct.pack("=IIIIHH", CN_IDX_PROC, CN_VAL_PROC, 0, ack, len(op), 0) + op
    s.send(struct.pack("=IHHII", 16 + len(msg), NLMSG_DONE, 0, 0, 0) + msg)


def subscribe(s):
    """Asks for the events and waits for the kernel's answer, told apart from other listeners' by a nonce in
    its ack field (the kernel answers with ack + 1; it numbers the seq field itself)."""
    nonce = os.getpid()
    control(s, struct.pack("=I", PROC_CN_MCAST_LISTEN), nonce)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if not select.select([s], [], [], max(0, deadline - time.monotonic()))[0]:
            break
        data = s.recv(8192)
        ack = struct.unpack_from("=I", data, CN_MSG + 12)[0]
        what = struct.unpack_from("=I", data, EVENT)[0]
        if what == PROC_EVENT_NONE and ack == nonce + 1:
            err = struct.unpack_from("=I", data, EVENT + 16)[0]
            if err:
                sys.exit(f"exec-watch: the kernel refused the subscription: {os.strerror(err)}")
            # Since Linux 6.6 a listener may take execs only (struct proc_input: the op, then the event types),
            # so the watcher does not wake for every fork and exit on the node; an older kernel ignores this.
            control(s, struct.pack("=II", PROC_CN_MCAST_LISTEN, PROC_EVENT_EXEC))
            return
    sys.exit("exec-watch: no answer from the proc connector (not root in the initial namespaces?)")


def exec_event(data):
    """(pid, stamp) of an exec event, or None."""
    what, _cpu, stamp = struct.unpack_from("=IIQ", data, EVENT)
    if what != PROC_EVENT_EXEC:
        return None
    return struct.unpack_from("=I", data, EVENT + 16)[0], stamp


def recv(s):
    try:
        return s.recv(8192)
    except OSError as e:
        if e.errno == errno.ENOBUFS:
            sys.exit("exec-watch: events were lost (the receive buffer overflowed); the run cannot be timed")
        raise


def main(name, args):
    name = name.encode()
    want = {a.encode() for a in args}
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    s.bind((0, CN_IDX_PROC))
    subscribe(s)
    print("ready", flush=True)
    cpu0 = time.process_time_ns()
    found = {}  # pid -> stamp of its latest exec
    while want:
        ev = exec_event(recv(s))
        if ev is None:
            continue
        pid, stamp = ev
        if pid in found:
            found[pid] = stamp
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue  # gone already: not a process that waits, as the ones looked for do
        if len(argv) > 1 and argv[1] in want and argv[0].rsplit(b"/", 1)[-1] == name:
            want.discard(argv[1])
            found[pid] = stamp
    # The argv read above is the process's as it is now: a shell that exec'd the command after this event was
    # queued matched on its own, earlier exec. Every exec before the read is queued by now, so the rest of the
    # queue holds the matched processes' later execs.
    s.setblocking(False)
    while True:
        try:
            ev = exec_event(recv(s))
        except BlockingIOError:
            break
        if ev is not None and ev[0] in found:
            found[ev[0]] = ev[1]
    # The stamps are CLOCK_MONOTONIC; the caller's clock is the epoch's.
    print(max(found.values()) + time.time_ns() - time.monotonic_ns(), flush=True)
    print(time.process_time_ns() - cpu0, flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: exec-watch.py NAME ARG...")
    main(sys.argv[1], sys.argv[2:])
