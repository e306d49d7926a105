package io.peapod.kubelet.volume;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.sys.FileKind;
import io.peapod.sys.MountFlags;
import io.peapod.sys.PathHandle;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/// Staging mounts of paths inside volumes (a `subPath`, or a hostPath itself): the path is resolved with
/// openat2 without following symlinks out of its root ([Syscalls#openBeneath]), missing directories are
/// made one component at a time beneath the resolved parent, and the file found is bind-mounted from its
/// descriptor onto a staging path that the container then mounts, so a symlink swapped in after the
/// check cannot redirect the mount.
final class SubPathStager {
  private static final Logger LOG = System.getLogger(SubPathStager.class.getName());
  private final Syscalls sys;
  /// Staging mounts made and not yet released, by instance directory; a crash loses this, and
  /// [VolumeManager#releaseAllStaging] finds them in mountinfo instead.
  private final Map<Path, List<Path>> staged = new ConcurrentHashMap<>();

  SubPathStager(Syscalls sys) {
    this.sys = sys;
  }

  /// Resolves `subPath` beneath `root` and bind-mounts what it found onto `target` in `instanceDir`.
  void stage(Path root, String subPath, Path instanceDir, Path target) {
    stage(root, subPath, target);
    staged.computeIfAbsent(instanceDir, k -> new CopyOnWriteArrayList<>()).add(target);
  }

  /// Unmounts the staging mounts of one container instance.
  void release(Path instanceDir) {
    List<Path> mounted = staged.remove(instanceDir);
    if (mounted != null) {
      mounted.forEach(sys::umountIfMounted);
    }
  }

  /// Forgets the instances under a pod directory, whose mounts its teardown unmounts.
  void forgetUnder(Path podDir) {
    staged.keySet().removeIf(k -> k.startsWith(podDir));
  }

  private void stage(Path root, String subPath, Path staged) {
    try (PathHandle top = sys.openPath(root)) {
      PathHandle current = top;
      List<PathHandle> opened = new ArrayList<>();
      // As kubelet makes them: missing directories get the volume's own mode, so that what a user of the
      // volume may do at its root it may do below.
      int mode = modeOf(top);
      try {
        for (String part : subPath.split("/")) {
          if (part.isEmpty() || part.equals(".")) {
            continue;
          }
          current = openOrMake(sys, current, part, mode);
          opened.add(current);
        }
        bind(current, staged);
      } finally {
        opened.forEach(PathHandle::close);
      }
    }
  }

  /// Opens `part` beneath `dir`, first making it (a directory of `mode`) if it is missing.
  static PathHandle openOrMake(Syscalls sys, PathHandle dir, String part, int mode) {
    try {
      return sys.openBeneath(dir, part);
    } catch (NotFoundException missing) {
      if (dir.kind() != FileKind.DIRECTORY) {
        throw new InvalidArgumentException(dir.description() + " is not a directory");
      }
      try {
        sys.mkdirAt(dir, part, mode);
      } catch (PeapodException raced) {
        LOG.log(Logger.Level.DEBUG, "{0}/{1} appeared while being made: {2}", dir.description(), part,
            raced.getMessage());
      }
      PathHandle made = sys.openBeneath(dir, part);
      chmod(made, mode);
      return made;
    }
  }

  /// chmod through the descriptor's /proc path, which names the very file opened; the daemon's umask
  /// must not decide what a container may do with a directory it asked for.
  static void chmod(PathHandle h, int mode) {
    try {
      Files.setAttribute(Path.of(h.procPath()), "unix:mode", mode);
    } catch (IOException e) {
      throw new InternalException("chmod " + h.description() + ": " + e.getMessage(), e);
    }
  }

  private static int modeOf(PathHandle h) {
    try {
      return (Integer) Files.getAttribute(Path.of(h.procPath()), "unix:mode") & 07777;
    } catch (IOException e) {
      throw new InternalException("stat " + h.description() + ": " + e.getMessage(), e);
    }
  }

  private void bind(PathHandle source, Path staged) {
    try {
      Files.createDirectories(staged.getParent());
      if (source.kind() == FileKind.DIRECTORY) {
        Files.createDirectories(staged);
      } else if (!Files.exists(staged)) {
        Files.createFile(staged);
      }
    } catch (IOException e) {
      throw new InternalException("make staging path " + staged + ": " + e.getMessage(), e);
    }
    sys.mount(source.procPath(), staged, null, MountFlags.BIND | MountFlags.REC, null);
  }

}
