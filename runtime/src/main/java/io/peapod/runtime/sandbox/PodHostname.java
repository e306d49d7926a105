package io.peapod.runtime.sandbox;

import io.peapod.base.concurrent.OwnThread;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import java.nio.file.Path;

/// Renames a running pod: sets the hostname of its pause process's UTS namespace, which every container
/// of the pod joins. setns(2) moves only the calling OS thread, so a thread of its own enters the
/// namespace, sets the name and comes back before it ends.
final class PodHostname {
  private PodHostname() {}

  static void set(Syscalls sys, int pausePid, String hostname) {
    OwnThread.run("hostname-" + pausePid, () -> {
      sys.setns(Path.of("/proc/" + pausePid + "/ns/uts"), Namespace.UTS);
      try {
        sys.sethostname(hostname);
      } finally {
        sys.setns(Path.of("/proc/self/ns/uts"), Namespace.UTS);
      }
    });
  }
}
