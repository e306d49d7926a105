package io.peapod.runtime.cgroup;

import io.peapod.base.error.InternalException;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/// SIGKILL for every process of a container's cgroup, done as `runc kill --all KILL` does it but without
/// starting runc: a process start is most of what deleting a pod costs the CPU, and many pods deleted at
/// once wait for each other's. On cgroup v2 the cgroup's `cgroup.kill`; on v1 the freezer holds the cgroup
/// still so that nothing forks past the kill, every pid in it and below gets SIGKILL, and the freezer lets
/// go (a frozen process dies as it thaws).
public final class CgroupKill {
  private static final int SIGKILL = 9;
  /// How long a freeze may take before the processes are killed anyway (runc waits the same way).
  private static final long FREEZE_WAIT_MS = 1000;
  private final CgroupLayout layout;
  private final Syscalls sys;

  public CgroupKill(CgroupLayout layout, Syscalls sys) {
    this.layout = layout;
    this.sys = sys;
  }

  /// Kills everything in the cgroup at `cgroupPath`; false, having done nothing, when this host's layout
  /// has no way to (no freezer hierarchy, a kernel without `cgroup.kill`) or the cgroup is not where it
  /// should be, so the caller asks the OCI runtime, which knows where it put the container.
  public boolean killAll(String cgroupPath) {
    try {
      if (layout.unified()) {
        Optional<Path> dir = layout.controllerDir("", cgroupPath);
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
          return false;
        }
        if (!Files.exists(dir.get().resolve("cgroup.kill"))) {
          return false;
        }
        Files.writeString(dir.get().resolve("cgroup.kill"), "1");
        return true;
      }
      Optional<Path> freezer = layout.controllerDir("freezer", cgroupPath);
      if (freezer.isEmpty() || !Files.isDirectory(freezer.get())) {
        return false;
      }
      freezeAndKill(freezer.get());
      return true;
    } catch (NoSuchFileException gone) {
      // The cgroup went while being killed: its processes are gone.
      return true;
    } catch (IOException e) {
      throw new InternalException("kill the processes of cgroup " + cgroupPath + ": " + e.getMessage(), e);
    }
  }

  /// [#killAll] for the cgroup of container `containerId` (or of a sandbox's pause: its own id) of a
  /// sandbox whose cgroup parent is `cgroupParent`.
  public boolean killContainer(String cgroupParent, String sandboxId, String containerId) {
    return killAll(layout.containerPath(layout.podPath(cgroupParent, sandboxId), containerId));
  }

  private void freezeAndKill(Path freezer) throws IOException {
    Path state = freezer.resolve("freezer.state");
    Files.writeString(state, "FROZEN");
    try {
      long deadline = System.currentTimeMillis() + FREEZE_WAIT_MS;
      while (!Files.readString(state).trim().equals("FROZEN") && System.currentTimeMillis() < deadline) {
        sleepQuietly();
      }
      List<Path> cgroups;
      try (Stream<Path> walk = Files.walk(freezer)) {
        cgroups = walk.filter(Files::isDirectory).toList();
      }
      for (Path cgroup : cgroups) {
        CgroupLayout.processes(cgroup).forEach(pid -> sys.kill(pid, SIGKILL));
      }
    } finally {
      Files.writeString(state, "THAWED");
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
