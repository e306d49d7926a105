package io.peapod.sys;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/// An `O_PATH` descriptor the daemon holds on a file it resolved safely ([Syscalls#openBeneath]).
/// A bind mount made from [#procPath] mounts the very file that was resolved, whatever the path names
/// by then: a container cannot swap a symlink in between, as kubelet's subPath fix relies on.
public final class PathHandle implements AutoCloseable {
  private final int fd;
  private final FileKind kind;
  private final String description;
  private final IntConsumer closer;
  private final AtomicBoolean closed = new AtomicBoolean();

  /// @param description the path as the user named it, for messages
  public PathHandle(int fd, FileKind kind, String description, IntConsumer closer) {
    this.fd = fd;
    this.kind = kind;
    this.description = description;
    this.closer = closer;
  }

  public int fd() {
    return fd;
  }

  public FileKind kind() {
    return kind;
  }

  public String description() {
    return description;
  }

  /// `/proc/self/fd/<fd>`: the daemon's own view of the file, for mount(2) and for reading it.
  public String procPath() {
    return "/proc/self/fd/" + fd;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closer.accept(fd);
    }
  }

  @Override
  public String toString() {
    return description + " (fd " + fd + ", " + kind + ")";
  }
}
