package io.peapod.runtime.sandbox;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.PeapodException;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/// Renames a running pod: sets the hostname of its pause process's UTS namespace, which every container
/// of the pod joins. setns(2) moves only the calling OS thread, so a thread of its own enters the
/// namespace, sets the name and comes back before it ends; a virtual thread would move its carrier.
final class PodHostname {
  private PodHostname() {}

  static void set(Syscalls sys, int pausePid, String hostname) {
    AtomicReference<PeapodException> failure = new AtomicReference<>();
    Thread t = Thread.ofPlatform().name("hostname-" + pausePid).start(() -> {
      try {
        sys.setns(Path.of("/proc/" + pausePid + "/ns/uts"), Namespace.UTS);
        try {
          sys.sethostname(hostname);
        } finally {
          sys.setns(Path.of("/proc/self/ns/uts"), Namespace.UTS);
        }
      } catch (PeapodException e) {
        failure.set(e);
      }
    });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while setting the hostname of pause " + pausePid, e);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
