package io.peapod.runtime;

import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// Where each thing of the runtime lives under its two roots. Every directory here is the daemon's
/// alone (0700): container root filesystems, with whatever setuid files their images hold, are
/// mounted below them, and no other user of the node may reach those.
///
/// ```
/// <run>/sandboxes/<id>/          hostname, resolv.conf, shm (tmpfs), pause/ (bundle)
/// <run>/containers/<id>/         bundle: config.json, rootfs (with runc empty on the node: runc mounts the
///                                   overlay over it in the container's own namespace), conmon.pid, ctl
/// <run>/exits/<id>               exit code, written by conmon
/// <run>/netns/<sandbox id>       pinned network namespace
/// <run>/runc/                    the OCI runtime's state
/// <run>/sockets/                 conmon attach sockets
/// <state>/snapshots/<id>/        upper/ and work/ of a container's overlay
/// <state>/pause/rootfs/          the built-in pause rootfs
/// ```
public record RuntimeLayout(Path stateRoot, Path runRoot) {
  public Path sandboxDir(String id) {
    return runRoot.resolve("sandboxes").resolve(id);
  }

  public Path containerDir(String id) {
    return runRoot.resolve("containers").resolve(id);
  }

  public Path exitDir() {
    return runRoot.resolve("exits");
  }

  public Path netnsDir() {
    return runRoot.resolve("netns");
  }

  public Path runcRoot() {
    return runRoot.resolve("runc");
  }

  public Path socketDir() {
    return runRoot.resolve("sockets");
  }

  public Path snapshots() {
    return stateRoot.resolve("snapshots");
  }

  public Path pauseDir() {
    return stateRoot.resolve("pause");
  }

  /// Makes the directories, private to root, and fixes the mode of ones an older install made.
  public void prepare() {
    List<Path> dirs = List.of(runRoot.resolve("sandboxes"), runRoot.resolve("containers"), exitDir(), netnsDir(),
        runcRoot(), socketDir(), snapshots(), pauseDir());
    try {
      for (Path d : dirs) {
        Files.createDirectories(d);
        Files.setAttribute(d, "unix:mode", 0700);
      }
    } catch (IOException e) {
      throw new InternalException("prepare runtime directories under " + runRoot + " and " + stateRoot + ": "
          + e.getMessage(), e);
    }
  }
}
