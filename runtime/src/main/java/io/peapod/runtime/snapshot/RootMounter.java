package io.peapod.runtime.snapshot;

import io.peapod.sys.Mount;
import io.peapod.sys.Syscalls;
import java.util.Optional;

/// Where a container's overlay root is mounted. With runc, by runc: the overlay is the first mount of the
/// container's `config.json` (destination `/`, over the empty `root.path`), made inside the container's own
/// mount namespace, so the node's mount table, which every later `runc run` copies and detaches, never
/// holds it. crun was not tried that way (it refuses the hosts this was built on, and crun has refused
/// some mounts at `/`), so with crun the daemon mounts the overlay on the node at `root.path` first.
public final class RootMounter {
  private final boolean byRuntime;
  private final Syscalls sys;

  /// `runtime` is the OCI runtime's name (`runc`, `crun`).
  public RootMounter(String runtime, Syscalls sys) {
    this.byRuntime = runtime.equals("runc");
    this.sys = sys;
  }

  /// The overlay for the container's spec to mount, or none when it was mounted on the node here (undone
  /// by `umountIfMounted` of its target, as every removal does).
  public Optional<Mount> place(Mount overlay) {
    if (byRuntime) {
      return Optional.of(overlay);
    }
    sys.mount(overlay.source(), overlay.target(), overlay.type(), 0, overlay.data());
    return Optional.empty();
  }
}
