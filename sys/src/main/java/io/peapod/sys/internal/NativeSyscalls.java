package io.peapod.sys.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.sys.Namespace;
import io.peapod.sys.PathHandle;
import io.peapod.sys.ProcessWatcher;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.SpawnedTerminal;
import io.peapod.sys.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/// [Syscalls] bound to glibc through FFM. Mounts, namespaces and single-file calls are here; child
/// processes are [NativeProcesses], safe path resolution [NativePaths], exit watching
/// [NativeProcessWatcher]. Every downcall captures errno; failures become typed peapod errors.
public final class NativeSyscalls implements Syscalls {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 02000000;
  private static final int SIOCGIFFLAGS = 0x8913;
  private static final int SIOCSIFFLAGS = 0x8914;
  private static final int IFF_UP = 1;

  private final Libc libc = new Libc();
  /// Platform threads for waits that virtual threads ask for; idle ones end after a minute.
  private final ExecutorService waits = Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("waitpid-", 0).factory());
  private final NativeProcesses processes = new NativeProcesses(libc);
  private final NativePaths paths = new NativePaths(libc);
  private final NativeSockets sockets = new NativeSockets(libc, paths);
  private final MethodHandle mount = libc.fn("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
  private final MethodHandle umount2 = libc.fn("umount2", JAVA_INT, ADDRESS, JAVA_INT);
  private final MethodHandle unshare = libc.fn("unshare", JAVA_INT, JAVA_INT);
  private final MethodHandle setns = libc.fn("setns", JAVA_INT, JAVA_INT, JAVA_INT);
  private final MethodHandle sethostname = libc.fn("sethostname", JAVA_INT, ADDRESS, JAVA_LONG);
  private final MethodHandle open = libc.fn("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  private final MethodHandle close = libc.fn("close", JAVA_INT, JAVA_INT);
  private final MethodHandle socket = libc.fn("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
  private final MethodHandle ioctl = libc.fn("ioctl", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
  private final MethodHandle mknod = libc.fn("mknod", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
  private final MethodHandle lsetxattr = libc.fn("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
  private final MethodHandle lgetxattr = libc.fn("lgetxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
  private final MethodHandle syncfs = libc.fn("syncfs", JAVA_INT, JAVA_INT);
  private final MethodHandle umask = libc.plain("umask",
      java.lang.foreign.FunctionDescriptor.of(JAVA_INT, JAVA_INT));

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
      Libc.Result r = libc.call(a, st -> (int) mount.invokeExact(st, src, tgt, type, flags, d));
      libc.check(r, "mount(" + (fsType == null ? "bind" : fsType) + ")", target);
    }
  }

  @Override
  public void umount(Path target, boolean lazy) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment tgt = a.allocateFrom(target.toString());
      int flags = lazy ? 2 : 0;
      libc.check(libc.call(a, st -> (int) umount2.invokeExact(st, tgt, flags)), "umount2", target);
    }
  }

  @Override
  public boolean umountIfMounted(Path target) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment tgt = a.allocateFrom(target.toString());
      Libc.Result r = libc.call(a, st -> (int) umount2.invokeExact(st, tgt, 2));
      if (r.failed() && (r.errno() == Errno.EINVAL || r.errno() == Errno.ENOENT)) {
        return false;
      }
      libc.check(r, "umount2", target);
      return true;
    }
  }

  @Override
  public void unshare(Namespace ns) {
    try (Arena a = Arena.ofConfined()) {
      int flag = ns.cloneFlag();
      libc.check(libc.call(a, st -> (int) unshare.invokeExact(st, flag)), "unshare", ns.procName());
    }
  }

  @Override
  public void setns(Path nsFile, Namespace ns) {
    try (Arena a = Arena.ofConfined()) {
      int fd = openFd(a, nsFile, O_RDONLY | O_CLOEXEC);
      try {
        int flag = ns.cloneFlag();
        libc.check(libc.call(a, st -> (int) setns.invokeExact(st, fd, flag)), "setns", nsFile);
      } finally {
        closeFd(a, fd);
      }
    }
  }

  @Override
  public void sethostname(String name) {
    try (Arena a = Arena.ofConfined()) {
      byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      MemorySegment n = a.allocateFrom(name);
      long len = bytes.length;
      libc.check(libc.call(a, st -> (int) sethostname.invokeExact(st, n, len)), "sethostname", name);
    }
  }

  private int openFd(Arena a, Path path, int flags) {
    MemorySegment p = a.allocateFrom(path.toString());
    Libc.Result r = libc.call(a, st -> (int) open.invokeExact(st, p, flags, 0600));
    libc.check(r, "open", path);
    return (int) r.value();
  }

  private void closeFd(Arena a, int fd) {
    libc.check(libc.call(a, st -> (int) close.invokeExact(st, fd)), "close", "fd " + fd);
  }

  @Override
  public void linkUp(String ifName) {
    try (Arena a = Arena.ofConfined()) {
      Libc.Result s = libc.call(a, st -> (int) socket.invokeExact(st, 2, 2 | O_CLOEXEC, 0));
      libc.check(s, "socket", "AF_INET");
      int fd = (int) s.value();
      try {
        MemorySegment ifreq = a.allocate(40);
        ifreq.setString(0, ifName);
        libc.check(libc.call(a, st -> (int) ioctl.invokeExact(st, fd, (long) SIOCGIFFLAGS, ifreq)),
            "ioctl(SIOCGIFFLAGS)", ifName);
        short flags = ifreq.get(JAVA_SHORT, 16);
        ifreq.set(JAVA_SHORT, 16, (short) (flags | IFF_UP));
        libc.check(libc.call(a, st -> (int) ioctl.invokeExact(st, fd, (long) SIOCSIFFLAGS, ifreq)),
            "ioctl(SIOCSIFFLAGS)", ifName);
      } finally {
        closeFd(a, fd);
      }
    }
  }

  @Override
  public void mknod(Path path, int typeAndMode, int major, int minor) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocateFrom(path.toString());
      long dev = makedev(major, minor);
      libc.check(libc.call(a, st -> (int) mknod.invokeExact(st, p, typeAndMode, dev)), "mknod", path);
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
      libc.check(libc.call(a, st -> (int) lsetxattr.invokeExact(st, p, n, v, len, 0)), "lsetxattr(" + name + ")",
          path);
    }
  }

  @Override
  public Optional<byte[]> getXattr(Path path, String name) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocateFrom(path.toString());
      MemorySegment n = a.allocateFrom(name);
      // Asked for its size first (a size of 0 reads nothing); ERANGE: it grew in between, ask again.
      while (true) {
        Libc.Result size = libc.call(a, st -> (long) lgetxattr.invokeExact(st, p, n, MemorySegment.NULL, 0L));
        if (size.failed() && (size.errno() == Errno.ENODATA || size.errno() == Errno.ENOTSUP)) {
          return Optional.empty();
        }
        libc.check(size, "lgetxattr(" + name + ")", path);
        long capacity = Math.max(1, size.value());
        MemorySegment v = a.allocate(capacity);
        Libc.Result r = libc.call(a, st -> (long) lgetxattr.invokeExact(st, p, n, v, capacity));
        if (r.failed() && r.errno() == Errno.ERANGE) {
          continue;
        }
        if (r.failed() && (r.errno() == Errno.ENODATA || r.errno() == Errno.ENOTSUP)) {
          return Optional.empty();
        }
        libc.check(r, "lgetxattr(" + name + ")", path);
        return Optional.of(v.asSlice(0, r.value()).toArray(ValueLayout.JAVA_BYTE));
      }
    }
  }

  @Override
  public void syncfs(Path path) {
    RuntimeException[] failure = new RuntimeException[1];
    Thread t = Thread.ofPlatform().name("syncfs").start(() -> {
      try (Arena a = Arena.ofConfined()) {
        int fd = openFd(a, path, O_RDONLY | O_CLOEXEC);
        try {
          libc.check(libc.call(a, st -> (int) syncfs.invokeExact(st, fd)), "syncfs", path);
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
    return processes.spawn(argv, env, outputFile, inheritedFds);
  }

  @Override
  public int waitpid(int pid) {
    if (!Thread.currentThread().isVirtual()) {
      return processes.waitpid(pid);
    }
    // A virtual thread blocked in a native call holds its carrier: with one per core, two such waits
    // (conmon's parent takes ~50 ms to exit) stall every other virtual thread, API requests included. The
    // wait runs on a platform thread instead, and the virtual thread parks on it.
    try {
      return waits.submit(() -> processes.waitpid(pid)).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new InternalException("waitpid " + pid + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted waiting for process " + pid, e);
    }
  }

  @Override
  public boolean kill(int pid, int signal) {
    return processes.kill(pid, signal);
  }

  @Override
  public SpawnedTerminal spawnOnTerminal(List<String> argv, Map<String, String> env, int rows, int columns) {
    return processes.spawnOnTerminal(argv, env, rows, columns);
  }

  @Override
  public int read(int fd, byte[] buffer) {
    return processes.read(fd, buffer);
  }

  @Override
  public void write(int fd, byte[] buffer, int length) {
    processes.write(fd, buffer, length);
  }

  @Override
  public void setWindowSize(int fd, int rows, int columns) {
    processes.setWindowSize(fd, rows, columns);
  }

  @Override
  public void close(int fd) {
    processes.close(fd);
  }

  @Override
  public PathHandle openPath(Path path) {
    return paths.openPath(path);
  }

  @Override
  public PathHandle openBeneath(PathHandle dir, String relative) {
    return paths.openBeneath(dir, relative);
  }

  @Override
  public void mkdirAt(PathHandle dir, String name, int mode) {
    paths.mkdirAt(dir, name, mode);
  }

  @Override
  public void createFileAt(PathHandle dir, String name, int mode) {
    paths.createFileAt(dir, name, mode);
  }

  @Override
  public int umask(int mask) {
    try {
      return (int) umask.invokeExact(mask);
    } catch (Throwable t) {
      throw new InternalException("umask failed", t);
    }
  }

  @Override
  public ProcessWatcher watchProcesses(IntConsumer onExit) {
    return new NativeProcessWatcher(libc, onExit);
  }

  @Override
  public int connectSeqPacket(Path socket) {
    return sockets.connectSeqPacket(socket);
  }

  @Override
  public void shutdown(int fd, boolean reading, boolean writing) {
    if (reading || writing) {
      sockets.shutdown(fd, reading && writing ? 2 : reading ? 0 : 1);
    }
  }
}
