package io.peapod.sys.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.sys.Namespace;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.SpawnedTerminal;
import io.peapod.sys.Syscalls;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// glibc through FFM. Every downcall captures errno; failures become typed peapod errors.
public final class NativeSyscalls implements Syscalls {
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 1;
  private static final int O_CREAT = 0100;
  private static final int O_APPEND = 02000;
  private static final int O_CLOEXEC = 02000000;
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  private static final int SIOCGIFFLAGS = 0x8913;
  private static final int SIOCSIFFLAGS = 0x8914;
  private static final int IFF_UP = 1;
  /// glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336; leave room.
  private static final long SPAWN_STRUCT_BYTES = 1024;
  private static final long SIGSET_BYTES = 128;

  private final Linker linker = Linker.nativeLinker();
  private final SymbolLookup libc = linker.defaultLookup();
  private final StructLayout captureLayout = Linker.Option.captureStateLayout();
  private final VarHandle errnoHandle =
      captureLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private final MethodHandle mount = fn("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
  private final MethodHandle umount2 = fn("umount2", JAVA_INT, ADDRESS, JAVA_INT);
  private final MethodHandle unshare = fn("unshare", JAVA_INT, JAVA_INT);
  private final MethodHandle setns = fn("setns", JAVA_INT, JAVA_INT, JAVA_INT);
  private final MethodHandle open = fn("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  private final MethodHandle close = fn("close", JAVA_INT, JAVA_INT);
  private final MethodHandle socket = fn("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
  private final MethodHandle ioctl = fn("ioctl", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
  private final MethodHandle mknod = fn("mknod", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
  private final MethodHandle lsetxattr = fn("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
  private final MethodHandle syncfs = fn("syncfs", JAVA_INT, JAVA_INT);
  private final MethodHandle pipe2 = fn("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
  private final MethodHandle waitpid = fn("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  private final MethodHandle kill = fn("kill", JAVA_INT, JAVA_INT, JAVA_INT);
  private final MethodHandle posixOpenpt = fn("posix_openpt", JAVA_INT, JAVA_INT);
  private final MethodHandle grantpt = fn("grantpt", JAVA_INT, JAVA_INT);
  private final MethodHandle unlockpt = fn("unlockpt", JAVA_INT, JAVA_INT);
  private final MethodHandle ptsnameR = plain("ptsname_r", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
  private final MethodHandle read = fn("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  private final MethodHandle write = fn("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  private final MethodHandle strerror = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
  private final MethodHandle posixSpawn = plain("posix_spawn",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
  private final MethodHandle faInit = plain("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private final MethodHandle faDestroy = plain("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private final MethodHandle faAddOpen = plain("posix_spawn_file_actions_addopen",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private final MethodHandle faAddDup2 = plain("posix_spawn_file_actions_adddup2",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private final MethodHandle faAddCloseFrom = plain("posix_spawn_file_actions_addclosefrom_np",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private final MethodHandle attrInit = plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private final MethodHandle attrDestroy = plain("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private final MethodHandle attrSetFlags = plain("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
  private final MethodHandle attrSetSigMask = plain("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  private final MethodHandle attrSetSigDefault = plain("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  private final MethodHandle sigEmptySet = plain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private final MethodHandle sigFillSet = plain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

  private MethodHandle fn(String name, MemoryLayout ret, MemoryLayout... args) {
    return linker.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args),
        Linker.Option.captureCallState("errno"));
  }

  private MethodHandle plain(String name, FunctionDescriptor d) {
    return linker.downcallHandle(symbol(name), d);
  }

  private MemorySegment symbol(String name) {
    return libc.find(name).orElseThrow(() -> new InternalException("libc has no symbol " + name, null));
  }

  /// A call's result and the errno it left behind.
  private record Result(long value, int errno) {
    boolean failed() {
      return value < 0;
    }
  }

  @FunctionalInterface
  private interface Call {
    Object invoke(MemorySegment state) throws Throwable;
  }

  private Result call(Arena arena, Call c) {
    MemorySegment state = arena.allocate(captureLayout);
    try {
      Object r = c.invoke(state);
      long v = r instanceof Integer i ? i : (Long) r;
      return new Result(v, v < 0 ? (int) errnoHandle.get(state, 0L) : 0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new InternalException("native call failed", t);
    }
  }

  private String describe(int errno) {
    try {
      MemorySegment s = (MemorySegment) strerror.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "unknown error";
    }
  }

  private void check(Result r, String call, Object subject) {
    if (r.failed()) {
      throw Errno.failure(call, String.valueOf(subject), r.errno(), describe(r.errno()));
    }
  }

  @Override
  public void mount(String source, Path target, String fsType, long flags, String data) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment src = a.allocateFrom(source);
      MemorySegment tgt = a.allocateFrom(target.toString());
      MemorySegment type = fsType == null ? MemorySegment.NULL : a.allocateFrom(fsType);
      MemorySegment d = data == null ? MemorySegment.NULL : a.allocateFrom(data);
      if (data != null && data.length() >= 4096) {
        throw new InvalidArgumentException("mount data for " + target + " is " + data.length()
            + " bytes; the kernel takes at most 4095 (too many image layers?)");
      }
      Result r = call(a, st -> (int) mount.invokeExact(st, src, tgt, type, flags, d));
      check(r, "mount(" + fsType + ")", target);
    }
  }

  @Override
  public void umount(Path target, boolean lazy) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment tgt = a.allocateFrom(target.toString());
      int flags = lazy ? 2 : 0;
      Result r = call(a, st -> (int) umount2.invokeExact(st, tgt, flags));
      check(r, "umount2", target);
    }
  }

  @Override
  public void unshare(Namespace ns) {
    try (Arena a = Arena.ofConfined()) {
      int flag = ns.cloneFlag();
      check(call(a, st -> (int) unshare.invokeExact(st, flag)), "unshare", ns.procName());
    }
  }

  @Override
  public void setns(Path nsFile, Namespace ns) {
    try (Arena a = Arena.ofConfined()) {
      int fd = openFd(a, nsFile, O_RDONLY | O_CLOEXEC);
      try {
        int flag = ns.cloneFlag();
        check(call(a, st -> (int) setns.invokeExact(st, fd, flag)), "setns", nsFile);
      } finally {
        closeFd(a, fd);
      }
    }
  }

  private int openFd(Arena a, Path path, int flags) {
    MemorySegment p = a.allocateFrom(path.toString());
    Result r = call(a, st -> (int) open.invokeExact(st, p, flags, 0600));
    check(r, "open", path);
    return (int) r.value();
  }

  private void closeFd(Arena a, int fd) {
    check(call(a, st -> (int) close.invokeExact(st, fd)), "close", "fd " + fd);
  }

  @Override
  public void linkUp(String ifName) {
    try (Arena a = Arena.ofConfined()) {
      Result s = call(a, st -> (int) socket.invokeExact(st, 2, 2 | O_CLOEXEC, 0));
      check(s, "socket", "AF_INET");
      int fd = (int) s.value();
      try {
        MemorySegment ifreq = a.allocate(40);
        ifreq.setString(0, ifName);
        check(call(a, st -> (int) ioctl.invokeExact(st, fd, (long) SIOCGIFFLAGS, ifreq)), "ioctl(SIOCGIFFLAGS)", ifName);
        short flags = ifreq.get(JAVA_SHORT, 16);
        ifreq.set(JAVA_SHORT, 16, (short) (flags | IFF_UP));
        check(call(a, st -> (int) ioctl.invokeExact(st, fd, (long) SIOCSIFFLAGS, ifreq)), "ioctl(SIOCSIFFLAGS)", ifName);
      } finally {
        closeFd(a, fd);
      }
    }
  }

  @Override
  public void mknod(Path path, int typeAndMode, int major, int minor) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocateFrom(path.toString());
      int fullMode = typeAndMode;
      long dev = makedev(major, minor);
      check(call(a, st -> (int) mknod.invokeExact(st, p, fullMode, dev)), "mknod", path);
    }
  }

  /// glibc's gnu_dev_makedev encoding.
  private static long makedev(long major, long minor) {
    return ((major & 0xfffL) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xffL) | ((minor & ~0xffL) << 12);
  }

  @Override
  public void setXattr(Path path, String name, byte[] value) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocateFrom(path.toString());
      MemorySegment n = a.allocateFrom(name);
      MemorySegment v = a.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
      long len = value.length;
      check(call(a, st -> (int) lsetxattr.invokeExact(st, p, n, v, len, 0)), "lsetxattr(" + name + ")", path);
    }
  }

  @Override
  public void syncfs(Path path) {
    RuntimeException[] failure = new RuntimeException[1];
    Thread t = Thread.ofPlatform().name("syncfs").start(() -> {
      try (Arena a = Arena.ofConfined()) {
        int fd = openFd(a, path, O_RDONLY | O_CLOEXEC);
        try {
          check(call(a, st -> (int) syncfs.invokeExact(st, fd)), "syncfs", path);
        } finally {
          closeFd(a, fd);
        }
      } catch (RuntimeException e) {
        failure[0] = e;
      }
    });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted waiting for syncfs of " + path, e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  @Override
  public SpawnedProcess spawn(List<String> argv, Map<String, String> env, Path outputFile, List<Integer> inheritedFds) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment fa = a.allocate(SPAWN_STRUCT_BYTES, 16);
      MemorySegment attr = a.allocate(SPAWN_STRUCT_BYTES, 16);
      Map<Integer, Integer> readEnds = new HashMap<>();
      List<Integer> writeEnds = new ArrayList<>();
      invokeInt(faInit, fa);
      invokeInt(attrInit, attr);
      try {
        MemorySegment devNull = a.allocateFrom("/dev/null");
        MemorySegment out = a.allocateFrom(outputFile.toString());
        invokeSpawnOp("addopen stdin", () -> (int) faAddOpen.invokeExact(fa, 0, devNull, O_RDONLY, 0));
        invokeSpawnOp("addopen stdout", () -> (int) faAddOpen.invokeExact(fa, 1, out, O_WRONLY | O_CREAT | O_APPEND, 0600));
        invokeSpawnOp("adddup2 stderr", () -> (int) faAddDup2.invokeExact(fa, 1, 2));
        int maxFd = 2;
        for (int target : inheritedFds) {
          MemorySegment fds = a.allocate(JAVA_INT, 2);
          check(call(a, st -> (int) pipe2.invokeExact(st, fds, O_CLOEXEC)), "pipe2", "for fd " + target);
          int r = fds.getAtIndex(JAVA_INT, 0);
          int w = fds.getAtIndex(JAVA_INT, 1);
          readEnds.put(target, r);
          writeEnds.add(w);
          invokeSpawnOp("adddup2", () -> (int) faAddDup2.invokeExact(fa, w, target));
          maxFd = Math.max(maxFd, target);
        }
        int closeFrom = maxFd + 1;
        invokeSpawnOp("addclosefrom", () -> (int) faAddCloseFrom.invokeExact(fa, closeFrom));
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
        invokeInt(faDestroy, fa);
        invokeInt(attrDestroy, attr);
      }
    }
  }

  /// Default signal handling, an empty signal mask and a new session: the child must not inherit
  /// the JVM's signal setup, nor die with the daemon's terminal or process group.
  private void setSpawnAttributes(Arena a, MemorySegment attr) {
    MemorySegment empty = a.allocate(SIGSET_BYTES, 8);
    MemorySegment all = a.allocate(SIGSET_BYTES, 8);
    invokeInt(sigEmptySet, empty);
    invokeInt(sigFillSet, all);
    invokeSpawnOp("setsigmask", () -> (int) attrSetSigMask.invokeExact(attr, empty));
    invokeSpawnOp("setsigdefault", () -> (int) attrSetSigDefault.invokeExact(attr, all));
    short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID);
    invokeSpawnOp("setflags", () -> (int) attrSetFlags.invokeExact(attr, flags));
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
      throw Errno.failure("posix_spawn", argv.getFirst(), rc, describe(rc));
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

  @FunctionalInterface
  private interface IntOp {
    int run() throws Throwable;
  }

  private void invokeSpawnOp(String what, IntOp op) {
    int rc;
    try {
      rc = op.run();
    } catch (Throwable t) {
      throw new InternalException("posix_spawn " + what + " failed", t);
    }
    if (rc != 0) {
      throw Errno.failure("posix_spawn", what, rc, describe(rc));
    }
  }

  private void invokeInt(MethodHandle h, MemorySegment arg) {
    invokeSpawnOp("setup", () -> (int) h.invokeExact(arg));
  }

  @Override
  public int waitpid(int pid) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment status = a.allocate(JAVA_INT);
      while (true) {
        Result r = call(a, st -> (int) waitpid.invokeExact(st, pid, status, 0));
        if (r.failed() && r.errno() == Errno.EINTR) {
          continue;
        }
        check(r, "waitpid", pid);
        int s = status.get(JAVA_INT, 0);
        int signal = s & 0x7f;
        return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
      }
    }
  }

  private static final int O_RDWR = 2;
  private static final int O_NOCTTY = 0400;
  private static final int EIO = 5;
  private static final long TIOCSWINSZ = 0x5414;

  @Override
  public SpawnedTerminal spawnOnTerminal(List<String> argv, Map<String, String> env, int rows, int columns) {
    try (Arena a = Arena.ofConfined()) {
      Result m = call(a, st -> (int) posixOpenpt.invokeExact(st, O_RDWR | O_NOCTTY | O_CLOEXEC));
      check(m, "posix_openpt", "/dev/ptmx");
      int master = (int) m.value();
      try {
        check(call(a, st -> (int) grantpt.invokeExact(st, master)), "grantpt", "fd " + master);
        check(call(a, st -> (int) unlockpt.invokeExact(st, master)), "unlockpt", "fd " + master);
        MemorySegment name = a.allocate(128);
        int rc = (int) ptsnameR.invokeExact(master, name, 128L);
        if (rc != 0) {
          throw Errno.failure("ptsname_r", "fd " + master, rc, describe(rc));
        }
        if (rows > 0 && columns > 0) {
          setWindowSize(master, rows, columns);
        }
        String slave = name.getString(0);
        MemorySegment fa = a.allocate(SPAWN_STRUCT_BYTES, 16);
        MemorySegment attr = a.allocate(SPAWN_STRUCT_BYTES, 16);
        invokeInt(faInit, fa);
        invokeInt(attrInit, attr);
        try {
          MemorySegment slavePath = a.allocateFrom(slave);
          // Opened without O_NOCTTY by a session leader, the slave becomes the controlling terminal.
          invokeSpawnOp("addopen terminal", () -> (int) faAddOpen.invokeExact(fa, 0, slavePath, O_RDWR, 0));
          invokeSpawnOp("adddup2 stdout", () -> (int) faAddDup2.invokeExact(fa, 0, 1));
          invokeSpawnOp("adddup2 stderr", () -> (int) faAddDup2.invokeExact(fa, 0, 2));
          invokeSpawnOp("addclosefrom", () -> (int) faAddCloseFrom.invokeExact(fa, 3));
          setSpawnAttributes(a, attr);
          return new SpawnedTerminal(posixSpawn(a, argv, env, fa, attr), master);
        } finally {
          invokeInt(faDestroy, fa);
          invokeInt(attrDestroy, attr);
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

  @Override
  public int read(int fd, byte[] buffer) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(buffer.length);
      while (true) {
        Result r = call(a, st -> (long) read.invokeExact(st, fd, buf, (long) buffer.length));
        if (r.failed() && r.errno() == Errno.EINTR) {
          continue;
        }
        if (r.failed() && r.errno() == EIO) {
          return 0;
        }
        check(r, "read", "fd " + fd);
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) r.value());
        return (int) r.value();
      }
    }
  }

  @Override
  public void write(int fd, byte[] buffer, int length) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(Math.max(1, length));
      MemorySegment.copy(buffer, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
      long done = 0;
      while (done < length) {
        long off = done;
        Result r = call(a, st -> (long) write.invokeExact(st, fd, buf.asSlice(off), (long) length - off));
        if (r.failed() && r.errno() == Errno.EINTR) {
          continue;
        }
        check(r, "write", "fd " + fd);
        done += r.value();
      }
    }
  }

  @Override
  public void setWindowSize(int fd, int rows, int columns) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ws = a.allocate(8);
      ws.set(JAVA_SHORT, 0, (short) rows);
      ws.set(JAVA_SHORT, 2, (short) columns);
      check(call(a, st -> (int) ioctl.invokeExact(st, fd, TIOCSWINSZ, ws)), "ioctl(TIOCSWINSZ)", "fd " + fd);
    }
  }

  @Override
  public void close(int fd) {
    try (Arena a = Arena.ofConfined()) {
      closeFd(a, fd);
    }
  }

  @Override
  public boolean kill(int pid, int signal) {
    try (Arena a = Arena.ofConfined()) {
      Result r = call(a, st -> (int) kill.invokeExact(st, pid, signal));
      if (r.failed() && r.errno() == Errno.ESRCH) {
        return false;
      }
      check(r, "kill", pid);
      return true;
    }
  }
}
