package io.peapod.sys.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.peapod.base.error.InternalException;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.SpawnedTerminal;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// Child processes and descriptors: posix_spawn(3) with inherited pipes or on a new terminal,
/// waitpid(2), kill(2), and read/write/close of raw descriptors (a terminal's master side).
final class NativeProcesses {
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 1;
  private static final int O_RDWR = 2;
  private static final int O_CREAT = 0100;
  private static final int O_NOCTTY = 0400;
  private static final int O_APPEND = 02000;
  private static final int O_CLOEXEC = 02000000;
  private static final int EIO = 5;
  private static final long TIOCSWINSZ = 0x5414;
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  /// Opaque glibc structs (posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336): room to spare.
  private static final long SPAWN_STRUCT_BYTES = 1024;
  private static final long SIGSET_BYTES = 128;

  private final Libc libc;
  private final MethodHandle close;
  private final MethodHandle ioctl;
  private final MethodHandle pipe2;
  private final MethodHandle waitpid;
  private final MethodHandle kill;
  private final MethodHandle posixOpenpt;
  private final MethodHandle grantpt;
  private final MethodHandle unlockpt;
  private final MethodHandle ptsnameR;
  private final MethodHandle read;
  private final MethodHandle write;
  private final MethodHandle posixSpawn;
  private final MethodHandle faInit;
  private final MethodHandle faDestroy;
  private final MethodHandle faAddOpen;
  private final MethodHandle faAddDup2;
  private final MethodHandle faAddCloseFrom;
  private final MethodHandle attrInit;
  private final MethodHandle attrDestroy;
  private final MethodHandle attrSetFlags;
  private final MethodHandle attrSetSigMask;
  private final MethodHandle attrSetSigDefault;
  private final MethodHandle sigEmptySet;
  private final MethodHandle sigFillSet;

  NativeProcesses(Libc libc) {
    this.libc = libc;
    close = libc.fn("close", JAVA_INT, JAVA_INT);
    ioctl = libc.fn("ioctl", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    pipe2 = libc.fn("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    waitpid = libc.fn("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    kill = libc.fn("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    posixOpenpt = libc.fn("posix_openpt", JAVA_INT, JAVA_INT);
    grantpt = libc.fn("grantpt", JAVA_INT, JAVA_INT);
    unlockpt = libc.fn("unlockpt", JAVA_INT, JAVA_INT);
    ptsnameR = libc.plain("ptsname_r", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    read = libc.fn("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    write = libc.fn("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    posixSpawn = libc.plain("posix_spawn",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    faInit = libc.plain("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    faDestroy = libc.plain("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    faAddOpen = libc.plain("posix_spawn_file_actions_addopen",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    faAddDup2 = libc.plain("posix_spawn_file_actions_adddup2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    faAddCloseFrom = libc.plain("posix_spawn_file_actions_addclosefrom_np",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    attrInit = libc.plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    attrDestroy = libc.plain("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    attrSetFlags = libc.plain("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    attrSetSigMask = libc.plain("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    attrSetSigDefault = libc.plain("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    sigEmptySet = libc.plain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    sigFillSet = libc.plain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  }

  private void closeFd(Arena a, int fd) {
    libc.check(libc.call(a, st -> (int) close.invokeExact(st, fd)), "close", "fd " + fd);
  }

  private void op(String what, Libc.IntOp op) {
    libc.checkReturned("posix_spawn", what, op);
  }

  private void op0(MethodHandle h, MemorySegment arg) {
    op("setup", () -> (int) h.invokeExact(arg));
  }

  SpawnedProcess spawn(List<String> argv, Map<String, String> env, Path outputFile, List<Integer> inheritedFds) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment fa = a.allocate(SPAWN_STRUCT_BYTES, 16);
      MemorySegment attr = a.allocate(SPAWN_STRUCT_BYTES, 16);
      Map<Integer, Integer> readEnds = new HashMap<>();
      List<Integer> writeEnds = new ArrayList<>();
      op0(faInit, fa);
      op0(attrInit, attr);
      try {
        MemorySegment devNull = a.allocateFrom("/dev/null");
        MemorySegment out = a.allocateFrom(outputFile.toString());
        op("addopen stdin", () -> (int) faAddOpen.invokeExact(fa, 0, devNull, O_RDONLY, 0));
        op("addopen stdout", () -> (int) faAddOpen.invokeExact(fa, 1, out, O_WRONLY | O_CREAT | O_APPEND, 0600));
        op("adddup2 stderr", () -> (int) faAddDup2.invokeExact(fa, 1, 2));
        int maxFd = 2;
        for (int target : inheritedFds) {
          MemorySegment fds = a.allocate(JAVA_INT, 2);
          libc.check(libc.call(a, st -> (int) pipe2.invokeExact(st, fds, O_CLOEXEC)), "pipe2", "for fd " + target);
          int r = fds.getAtIndex(JAVA_INT, 0);
          int w = fds.getAtIndex(JAVA_INT, 1);
          readEnds.put(target, r);
          writeEnds.add(w);
          op("adddup2", () -> (int) faAddDup2.invokeExact(fa, w, target));
          maxFd = Math.max(maxFd, target);
        }
        int closeFrom = maxFd + 1;
        op("addclosefrom", () -> (int) faAddCloseFrom.invokeExact(fa, closeFrom));
        setSpawnAttributes(a, attr);
        int pid;
        try {
          pid = posixSpawn(a, argv, env, fa, attr);
        } catch (RuntimeException e) {
          readEnds.values().forEach(fd -> closeFd(a, fd));
          throw e;
        }
        Map<Integer, InputStream> pipes = new HashMap<>();
        for (Map.Entry<Integer, Integer> e : readEnds.entrySet()) {
          pipes.put(e.getKey(), reopen(e.getValue()));
          closeFd(a, e.getValue());
        }
        return new SpawnedProcess(pid, pipes);
      } finally {
        writeEnds.forEach(fd -> closeFd(a, fd));
        op0(faDestroy, fa);
        op0(attrDestroy, attr);
      }
    }
  }

  /// Default signal handling, an empty signal mask and a new session: the child must not inherit
  /// the JVM's signal setup, nor die with the daemon's terminal or process group.
  private void setSpawnAttributes(Arena a, MemorySegment attr) {
    MemorySegment empty = a.allocate(SIGSET_BYTES, 8);
    MemorySegment all = a.allocate(SIGSET_BYTES, 8);
    op0(sigEmptySet, empty);
    op0(sigFillSet, all);
    op("setsigmask", () -> (int) attrSetSigMask.invokeExact(attr, empty));
    op("setsigdefault", () -> (int) attrSetSigDefault.invokeExact(attr, all));
    short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID);
    op("setflags", () -> (int) attrSetFlags.invokeExact(attr, flags));
  }

  private int posixSpawn(Arena a, List<String> argv, Map<String, String> env, MemorySegment fa, MemorySegment attr) {
    MemorySegment argvSeg = stringArray(a, argv);
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    MemorySegment envSeg = stringArray(a, envList);
    MemorySegment pidOut = a.allocate(JAVA_INT);
    MemorySegment path = a.allocateFrom(argv.getFirst());
    int rc;
    try {
      rc = (int) posixSpawn.invokeExact(pidOut, path, fa, attr, argvSeg, envSeg);
    } catch (Throwable t) {
      throw new InternalException("posix_spawn " + argv.getFirst() + " failed", t);
    }
    if (rc != 0) {
      throw Errno.failure("posix_spawn", argv.getFirst(), rc, libc.describe(rc));
    }
    return pidOut.get(JAVA_INT, 0);
  }

  /// Opens the pipe again through /proc so that Java owns a stream over it; the raw fd is closed after.
  private static InputStream reopen(int fd) {
    try {
      return new FileInputStream("/proc/self/fd/" + fd);
    } catch (IOException e) {
      throw new UncheckedIOException("reopen pipe fd " + fd, e);
    }
  }

  private static MemorySegment stringArray(Arena a, List<String> strings) {
    MemorySegment arr = a.allocate(ADDRESS, strings.size() + 1);
    for (int i = 0; i < strings.size(); i++) {
      arr.setAtIndex(ADDRESS, i, a.allocateFrom(strings.get(i), StandardCharsets.UTF_8));
    }
    arr.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
    return arr;
  }

  int waitpid(int pid) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment status = a.allocate(JAVA_INT);
      while (true) {
        Libc.Result r = libc.call(a, st -> (int) waitpid.invokeExact(st, pid, status, 0));
        if (r.failed() && r.errno() == Errno.EINTR) {
          continue;
        }
        libc.check(r, "waitpid", pid);
        int s = status.get(JAVA_INT, 0);
        int signal = s & 0x7f;
        return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
      }
    }
  }

  SpawnedTerminal spawnOnTerminal(List<String> argv, Map<String, String> env, int rows, int columns) {
    try (Arena a = Arena.ofConfined()) {
      Libc.Result m = libc.call(a, st -> (int) posixOpenpt.invokeExact(st, O_RDWR | O_NOCTTY | O_CLOEXEC));
      libc.check(m, "posix_openpt", "/dev/ptmx");
      int master = (int) m.value();
      try {
        libc.check(libc.call(a, st -> (int) grantpt.invokeExact(st, master)), "grantpt", "fd " + master);
        libc.check(libc.call(a, st -> (int) unlockpt.invokeExact(st, master)), "unlockpt", "fd " + master);
        MemorySegment name = a.allocate(128);
        int rc = (int) ptsnameR.invokeExact(master, name, 128L);
        if (rc != 0) {
          throw Errno.failure("ptsname_r", "fd " + master, rc, libc.describe(rc));
        }
        if (rows > 0 && columns > 0) {
          setWindowSize(master, rows, columns);
        }
        String slave = name.getString(0);
        MemorySegment fa = a.allocate(SPAWN_STRUCT_BYTES, 16);
        MemorySegment attr = a.allocate(SPAWN_STRUCT_BYTES, 16);
        op0(faInit, fa);
        op0(attrInit, attr);
        try {
          MemorySegment slavePath = a.allocateFrom(slave);
          // Opened without O_NOCTTY by a session leader, the slave becomes the controlling terminal.
          op("addopen terminal", () -> (int) faAddOpen.invokeExact(fa, 0, slavePath, O_RDWR, 0));
          op("adddup2 stdout", () -> (int) faAddDup2.invokeExact(fa, 0, 1));
          op("adddup2 stderr", () -> (int) faAddDup2.invokeExact(fa, 0, 2));
          op("addclosefrom", () -> (int) faAddCloseFrom.invokeExact(fa, 3));
          setSpawnAttributes(a, attr);
          return new SpawnedTerminal(posixSpawn(a, argv, env, fa, attr), master);
        } finally {
          op0(faDestroy, fa);
          op0(attrDestroy, attr);
        }
      } catch (Throwable t) {
        closeFd(a, master);
        if (t instanceof RuntimeException r) {
          throw r;
        }
        throw new InternalException("open a terminal for " + argv.getFirst(), t);
      }
    }
  }

  int read(int fd, byte[] buffer) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(buffer.length);
      while (true) {
        Libc.Result r = libc.call(a, st -> (long) read.invokeExact(st, fd, buf, (long) buffer.length));
        if (r.failed() && r.errno() == Errno.EINTR) {
          continue;
        }
        if (r.failed() && r.errno() == EIO) {
          return 0;
        }
        libc.check(r, "read", "fd " + fd);
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) r.value());
        return (int) r.value();
      }
    }
  }

  void write(int fd, byte[] buffer, int length) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(Math.max(1, length));
      MemorySegment.copy(buffer, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
      long done = 0;
      while (done < length) {
        long off = done;
        Libc.Result r = libc.call(a, st -> (long) write.invokeExact(st, fd, buf.asSlice(off), (long) length - off));
        if (r.failed() && r.errno() == Errno.EINTR) {
          continue;
        }
        libc.check(r, "write", "fd " + fd);
        done += r.value();
      }
    }
  }

  void setWindowSize(int fd, int rows, int columns) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ws = a.allocate(8);
      ws.set(JAVA_SHORT, 0, (short) rows);
      ws.set(JAVA_SHORT, 2, (short) columns);
      libc.check(libc.call(a, st -> (int) ioctl.invokeExact(st, fd, TIOCSWINSZ, ws)), "ioctl(TIOCSWINSZ)", "fd " + fd);
    }
  }

  void close(int fd) {
    try (Arena a = Arena.ofConfined()) {
      closeFd(a, fd);
    }
  }

  boolean kill(int pid, int signal) {
    try (Arena a = Arena.ofConfined()) {
      Libc.Result r = libc.call(a, st -> (int) kill.invokeExact(st, pid, signal));
      if (r.failed() && r.errno() == Errno.ESRCH) {
        return false;
      }
      libc.check(r, "kill", pid);
      return true;
    }
  }
}
