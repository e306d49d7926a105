package io.peapod.sys.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.peapod.base.error.InternalException;
import io.peapod.sys.ProcessWatcher;
import java.lang.System.Logger;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/// pidfd_open(2) per watched process, all in one epoll(7) set that a platform thread waits on; an
/// eventfd(2) in the same set wakes the thread to stop.
final class NativeProcessWatcher implements ProcessWatcher {
  private static final Logger LOG = System.getLogger(NativeProcessWatcher.class.getName());
  private static final long SYS_PIDFD_OPEN = 434;
  private static final int EPOLL_CLOEXEC = 02000000;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLL_CTL_DEL = 2;
  private static final int EPOLLIN = 1;
  private static final int EVENT_BYTES = 12;
  private static final int MAX_EVENTS = 64;

  private final Libc libc;
  private final IntConsumer onExit;
  private final MethodHandle pidfdOpen;
  private final MethodHandle epollCtl;
  private final MethodHandle epollWait;
  private final MethodHandle write;
  private final MethodHandle close;
  private final int epollFd;
  private final int wakeFd;
  /// pidfd to pid, and back; guarded by `this`.
  private final Map<Integer, Integer> pidByFd = new HashMap<>();
  private final Map<Integer, Integer> fdByPid = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  NativeProcessWatcher(Libc libc, IntConsumer onExit) {
    this.libc = libc;
    this.onExit = onExit;
    this.pidfdOpen = libc.syscall(JAVA_LONG, JAVA_LONG);
    this.epollCtl = libc.fn("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    this.epollWait = libc.fn("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    this.write = libc.fn("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    this.close = libc.fn("close", JAVA_INT, JAVA_INT);
    MethodHandle epollCreate = libc.fn("epoll_create1", JAVA_INT, JAVA_INT);
    MethodHandle eventfd = libc.fn("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    try (Arena a = Arena.ofConfined()) {
      Libc.Result e = libc.call(a, st -> (int) epollCreate.invokeExact(st, EPOLL_CLOEXEC));
      libc.check(e, "epoll_create1", "process watcher");
      epollFd = (int) e.value();
      Libc.Result w = libc.call(a, st -> (int) eventfd.invokeExact(st, 0, EPOLL_CLOEXEC));
      libc.check(w, "eventfd", "process watcher");
      wakeFd = (int) w.value();
      add(a, wakeFd);
    }
    thread = Thread.ofPlatform().daemon().name("process-watcher").start(this::loop);
  }

  private void add(Arena a, int fd) {
    MemorySegment ev = a.allocate(EVENT_BYTES);
    ev.set(JAVA_INT, 0, EPOLLIN);
    ev.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, fd);
    libc.check(libc.call(a, st -> (int) epollCtl.invokeExact(st, epollFd, EPOLL_CTL_ADD, fd, ev)), "epoll_ctl",
        "fd " + fd);
  }

  @Override
  public synchronized boolean watch(int pid) {
    if (closed) {
      throw new InternalException("process watcher is closed", null);
    }
    if (fdByPid.containsKey(pid)) {
      return true;
    }
    try (Arena a = Arena.ofConfined()) {
      Libc.Result r = libc.call(a, st -> (long) pidfdOpen.invokeExact(st, SYS_PIDFD_OPEN, (long) pid, 0L));
      if (r.failed() && r.errno() == Errno.ESRCH) {
        return false;
      }
      libc.check(r, "pidfd_open", pid);
      int fd = (int) r.value();
      add(a, fd);
      pidByFd.put(fd, pid);
      fdByPid.put(pid, fd);
      return true;
    }
  }

  @Override
  public synchronized void unwatch(int pid) {
    Integer fd = fdByPid.remove(pid);
    if (fd != null) {
      pidByFd.remove(fd);
      release(fd);
    }
  }

  private void release(int fd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ev = a.allocate(EVENT_BYTES);
      libc.call(a, st -> (int) epollCtl.invokeExact(st, epollFd, EPOLL_CTL_DEL, fd, ev));
      libc.call(a, st -> (int) close.invokeExact(st, fd));
    }
  }

  private void loop() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment events = a.allocate((long) EVENT_BYTES * MAX_EVENTS);
      while (!closed) {
        Libc.Result r = libc.call(a, st -> (int) epollWait.invokeExact(st, epollFd, events, MAX_EVENTS, -1));
        if (r.failed()) {
          if (r.errno() == Errno.EINTR) {
            continue;
          }
          LOG.log(Logger.Level.ERROR, "epoll_wait failed: {0}; process exits are no longer watched",
              Errno.name(r.errno()));
          return;
        }
        for (int i = 0; i < r.value(); i++) {
          int fd = (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * EVENT_BYTES + 4);
          if (fd == wakeFd) {
            return;
          }
          Integer pid;
          synchronized (this) {
            pid = pidByFd.remove(fd);
            if (pid != null) {
              fdByPid.remove(pid);
              release(fd);
            }
          }
          if (pid != null) {
            report(pid);
          }
        }
      }
    }
  }

  private void report(int pid) {
    try {
      onExit.accept(pid);
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.ERROR, "handling the exit of process " + pid + " failed", e);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      try (Arena a = Arena.ofConfined()) {
        MemorySegment one = a.allocate(JAVA_LONG);
        one.set(JAVA_LONG, 0, 1L);
        libc.call(a, st -> (long) write.invokeExact(st, wakeFd, one, 8L));
      }
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      pidByFd.keySet().forEach(this::release);
      pidByFd.clear();
      fdByPid.clear();
      try (Arena a = Arena.ofConfined()) {
        libc.call(a, st -> (int) close.invokeExact(st, wakeFd));
        libc.call(a, st -> (int) close.invokeExact(st, epollFd));
      }
    }
  }
}
