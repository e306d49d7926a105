package io.peapod.runtime.network;

import io.peapod.base.concurrent.OwnThread;
import io.peapod.base.error.InternalException;
import io.peapod.sys.MountFlags;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/// Creates and removes pinned network namespaces; see the package documentation.
public final class NetnsPinner {
  private final Syscalls sys;
  private final Path dir;

  public NetnsPinner(Syscalls sys, Path dir) {
    this.sys = sys;
    this.dir = dir;
  }

  public Path pinPath(String sandboxId) {
    return dir.resolve(sandboxId);
  }

  /// Makes a new network namespace with `lo` up and pins it; returns the pin's path.
  public Path create(String sandboxId) {
    Path pin = pinPath(sandboxId);
    try {
      Files.createDirectories(dir);
      Files.createFile(pin);
    } catch (IOException e) {
      throw new InternalException("create netns pin " + pin, e);
    }
    // unshare(CLONE_NEWNET) changes only the calling OS thread, so it runs on a thread of its own that
    // returns to the host namespace and then ends.
    try {
      OwnThread.run("netns-" + sandboxId.substring(0, 12), () -> {
        sys.unshare(Namespace.NET);
        try {
          sys.mount("/proc/thread-self/ns/net", pin, "none", MountFlags.BIND, null);
          sys.linkUp("lo");
        } finally {
          sys.setns(Path.of("/proc/self/ns/net"), Namespace.NET);
        }
      });
    } catch (RuntimeException e) {
      remove(sandboxId);
      throw e;
    }
    return pin;
  }

  /// Whether the pin holds a namespace: a pin whose bind mount a crash interrupted is a plain file, which
  /// a CNI plugin must not be given as a netns (it fails DEL on it, where it accepts a missing one).
  /// Told by the file's device: a bind-mounted namespace is on nsfs, a plain file on the directory's own
  /// file system (reading the mount table instead would cost more with every pod on the node).
  public boolean pinned(String sandboxId) {
    Path pin = pinPath(sandboxId);
    try {
      return Files.exists(pin, LinkOption.NOFOLLOW_LINKS)
          && !Files.getAttribute(pin, "unix:dev", LinkOption.NOFOLLOW_LINKS)
              .equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new InternalException("read netns pin " + pin + ": " + e.getMessage(), e);
    }
  }

  /// Unmounts and deletes the pin; the namespace goes away with its last user.
  public void remove(String sandboxId) {
    Path pin = pinPath(sandboxId);
    if (!Files.exists(pin)) {
      return;
    }
    // A pin whose bind mount failed half-way is a plain file, with nothing to unmount.
    sys.umountIfMounted(pin);
    try {
      Files.deleteIfExists(pin);
    } catch (IOException e) {
      throw new InternalException("remove netns pin " + pin, e);
    }
  }
}
