package io.peapod.runtime.snapshot;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.io.FileTrees;
import io.peapod.sys.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// Prepares and removes per-container overlay snapshots; see the package documentation for the layout.
public final class OverlaySnapshotter {
  /// mount(2) copies at most one page of options.
  private static final int MAX_DATA = 4096;
  private final Path root;

  public OverlaySnapshotter(Path root) {
    this.root = root;
  }

  /// Creates the snapshot's directories and returns the overlay mount of `layers` (lowest first) plus
  /// the writable layer at `target`.
  public Mount prepare(String key, List<Path> layers, Path target) {
    Path dir = root.resolve(key);
    List<String> lowers = new ArrayList<>();
    for (Path l : layers.reversed()) {
      lowers.add(l.toString());
    }
    Mount m = new Mount("overlay", "overlay", target, List.of("lowerdir=" + String.join(":", lowers),
        "upperdir=" + dir.resolve("upper"), "workdir=" + dir.resolve("work"), "index=off"));
    if (m.data().length() >= MAX_DATA) {
      throw new InvalidArgumentException("the overlay of snapshot " + key + " needs " + m.data().length()
          + " bytes of mount options; the kernel takes at most " + (MAX_DATA - 1) + " (" + layers.size()
          + " image layers: use an image with fewer)");
    }
    try {
      Files.createDirectories(dir.resolve("upper"));
      Files.createDirectories(dir.resolve("work"));
      // The container's `/` takes the upper directory's mode: 0755, whatever the daemon's umask.
      Files.setAttribute(dir.resolve("upper"), "unix:mode", 0755);
    } catch (IOException e) {
      throw new InternalException("prepare snapshot " + key, e);
    }
    return m;
  }

  public void remove(String key) {
    try {
      FileTrees.delete(root.resolve(key));
    } catch (IOException e) {
      throw new InternalException("remove snapshot " + key + ": " + e.getMessage(), e);
    }
  }
}
