package io.peapod.runtime.container;

import io.peapod.base.error.InternalException;
import io.peapod.base.io.FileTrees;
import io.peapod.runtime.RuntimeIds;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.logs.LogRotator;
import io.peapod.runtime.monitor.ExitWatcher;
import io.peapod.runtime.monitor.MonitorWatcher;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.snapshot.OverlaySnapshotter;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// What a container holds on the node, and letting go of it in two steps. [#release] once its process
/// has ended: the OCI runtime's record (and with it the cgroup), the rootfs mount where the daemon made one
/// on the node ([io.peapod.runtime.snapshot.RootMounter]), the watch on its monitor and the log's rotation;
/// the snapshot, bundle, log and row stay, for `logs` and for status.
/// [#removeAll] when the container is removed: the rest. Both are safe to repeat and to run on a
/// container whose creation stopped half-way.
public final class ContainerResources {
  private final RuntimeLayout layout;
  private final Syscalls sys;
  private final OciRuntime oci;
  private final OverlaySnapshotter snapshots;
  private final MonitorWatcher monitors;
  private final ExitWatcher exitFiles;
  private final LogRotator logs;

  public ContainerResources(RuntimeLayout layout, Syscalls sys, OciRuntime oci, OverlaySnapshotter snapshots,
      MonitorWatcher monitors, ExitWatcher exitFiles, LogRotator logs) {
    this.layout = layout;
    this.sys = sys;
    this.oci = oci;
    this.snapshots = snapshots;
    this.monitors = monitors;
    this.exitFiles = exitFiles;
    this.logs = logs;
  }

  public void release(String id, String logPath) {
    monitors.forget(id);
    oci.delete(id);
    // On the node only with crun, or made by an older peapod (see RootMounter).
    sys.umountIfMounted(layout.containerDir(id).resolve("rootfs"));
    if (!logPath.isEmpty()) {
      logs.untrack(Path.of(logPath));
    }
  }

  public void removeAll(String id, String logPath) {
    release(id, logPath);
    snapshots.remove(id);
    deleteTree(layout.containerDir(id));
    removeAttachLink(layout, id);
    exitFiles.forget(id);
    if (!logPath.isEmpty()) {
      logs.delete(Path.of(logPath));
    }
  }

  /// conmon's link from the socket directory to the bundle, which it leaves behind.
  public static void removeAttachLink(RuntimeLayout layout, String id) {
    Path link = layout.socketDir().resolve(RuntimeIds.shortId(id));
    try {
      Files.deleteIfExists(link);
    } catch (IOException e) {
      throw new InternalException("remove " + link + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new InternalException("remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
