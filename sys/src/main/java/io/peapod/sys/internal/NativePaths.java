package io.peapod.sys.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.sys.FileKind;
import io.peapod.sys.PathHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/// Path resolution that cannot be redirected: openat2(2) for `O_PATH` handles, statx(2) for their
/// kind, mkdirat(2) and openat(2) for creating one component under a handle.
final class NativePaths {
  private static final long SYS_OPENAT2 = 437;
  private static final int AT_FDCWD = -100;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int STATX_TYPE = 1;
  private static final long O_PATH = 010000000;
  private static final long O_CLOEXEC = 02000000;
  private static final int O_WRONLY = 1;
  private static final int O_CREAT = 0100;
  private static final int O_EXCL = 0200;
  private static final int O_NOFOLLOW = 0400000;
  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_NO_SYMLINKS = 0x04;
  private static final long RESOLVE_BENEATH = 0x08;
  private static final int ELOOP = 40;
  private static final int EXDEV = 18;

  private final Libc libc;
  private final MethodHandle openat2;
  private final MethodHandle statx;
  private final MethodHandle mkdirat;
  private final MethodHandle openat;
  private final MethodHandle close;

  NativePaths(Libc libc) {
    this.libc = libc;
    this.openat2 = libc.syscall(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    this.statx = libc.fn("statx", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    this.mkdirat = libc.fn("mkdirat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    this.openat = libc.fn("openat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    this.close = libc.fn("close", JAVA_INT, JAVA_INT);
  }

  PathHandle openPath(Path path) {
    return open(AT_FDCWD, path.toString(), RESOLVE_NO_MAGICLINKS, path.toString());
  }

  PathHandle openBeneath(PathHandle dir, String relative) {
    return open(dir.fd(), relative, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        dir.description() + "/" + relative);
  }

  private PathHandle open(int dirFd, String path, long resolve, String description) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment how = a.allocate(24, 8);
      how.set(JAVA_LONG, 0, O_PATH | O_CLOEXEC);
      how.set(JAVA_LONG, 8, 0L);
      how.set(JAVA_LONG, 16, resolve);
      MemorySegment p = a.allocateFrom(path);
      Libc.Result r = libc.call(a, st -> (long) openat2.invokeExact(st, SYS_OPENAT2, (long) dirFd, p, how, 24L));
      if (r.failed() && (r.errno() == ELOOP || r.errno() == EXDEV)) {
        throw new InvalidArgumentException(description + " leads through a symbolic link or out of its directory ("
            + Errno.name(r.errno()) + "); such paths are not followed");
      }
      libc.check(r, "openat2", description);
      int fd = (int) r.value();
      try {
        return new PathHandle(fd, kind(a, fd, description), description, this::closeFd);
      } catch (RuntimeException e) {
        closeFd(fd);
        throw e;
      }
    }
  }

  private FileKind kind(Arena a, int fd, String description) {
    MemorySegment buf = a.allocate(256, 8);
    MemorySegment empty = a.allocateFrom("");
    libc.check(libc.call(a, st -> (int) statx.invokeExact(st, fd, empty, AT_EMPTY_PATH, STATX_TYPE, buf)), "statx",
        description);
    return FileKind.ofMode(Short.toUnsignedInt(buf.get(JAVA_SHORT, 28)));
  }

  void mkdirAt(PathHandle dir, String name, int mode) {
    requireComponent(name);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment n = a.allocateFrom(name);
      libc.check(libc.call(a, st -> (int) mkdirat.invokeExact(st, dir.fd(), n, mode)), "mkdirat",
          dir.description() + "/" + name);
    }
  }

  void createFileAt(PathHandle dir, String name, int mode) {
    requireComponent(name);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment n = a.allocateFrom(name);
      int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | (int) O_CLOEXEC;
      Libc.Result r = libc.call(a, st -> (int) openat.invokeExact(st, dir.fd(), n, flags, mode));
      libc.check(r, "openat", dir.description() + "/" + name);
      closeFd((int) r.value());
    }
  }

  private static void requireComponent(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new InvalidArgumentException("'" + name + "' is not a single path component");
    }
  }

  private void closeFd(int fd) {
    try (Arena a = Arena.ofConfined()) {
      libc.check(libc.call(a, st -> (int) close.invokeExact(st, fd)), "close", "fd " + fd);
    }
  }

  IntConsumer closer() {
    return this::closeFd;
  }
}
