package io.peapod.sys.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.sys.PathHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/// Unix sockets the JDK cannot open: `SOCK_SEQPACKET` (conmon's attach socket keeps each message's
/// stream byte with its data), connected through `/proc/self/fd/<dir>/<name>` so that a path longer
/// than `sun_path` (108 bytes) still works, and shutdown(2) of one direction.
final class NativeSockets {
  private static final int AF_UNIX = 1;
  private static final int SOCK_SEQPACKET = 5;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int SUN_PATH = 108;
  private final Libc libc;
  private final NativePaths paths;
  private final MethodHandle socket;
  private final MethodHandle connect;
  private final MethodHandle shutdown;
  private final MethodHandle close;

  NativeSockets(Libc libc, NativePaths paths) {
    this.libc = libc;
    this.paths = paths;
    this.socket = libc.fn("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    this.connect = libc.fn("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    this.shutdown = libc.fn("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    this.close = libc.fn("close", JAVA_INT, JAVA_INT);
  }

  int connectSeqPacket(Path socketPath) {
    Path parent = socketPath.getParent();
    String name = socketPath.getFileName().toString();
    try (PathHandle dir = paths.openPath(parent); Arena a = Arena.ofConfined()) {
      byte[] path = ("/proc/self/fd/" + dir.fd() + "/" + name).getBytes(StandardCharsets.UTF_8);
      if (path.length >= SUN_PATH) {
        throw new InvalidArgumentException("socket name " + name + " is too long for a unix socket address");
      }
      MemorySegment addr = a.allocate(2 + SUN_PATH, 2);
      addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
      MemorySegment.copy(path, 0, addr, java.lang.foreign.ValueLayout.JAVA_BYTE, 2, path.length);
      Libc.Result s = libc.call(a, st -> (int) socket.invokeExact(st, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
      libc.check(s, "socket", socketPath);
      int fd = (int) s.value();
      Libc.Result c = libc.call(a, st -> (int) connect.invokeExact(st, fd, addr, 2 + path.length + 1));
      if (c.failed()) {
        libc.call(a, st -> (int) close.invokeExact(st, fd));
        libc.check(c, "connect", socketPath);
      }
      return fd;
    }
  }

  /// `how`: 0 reading, 1 writing, 2 both.
  void shutdown(int fd, int how) {
    try (Arena a = Arena.ofConfined()) {
      Libc.Result r = libc.call(a, st -> (int) shutdown.invokeExact(st, fd, how));
      // A peer already gone leaves nothing to shut down.
      if (r.failed() && r.errno() != Errno.ENOTCONN) {
        libc.check(r, "shutdown", "fd " + fd);
      }
    }
  }
}
