package io.peapod.runtime.cgroup;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.api.Resources;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/// Pod cgroups with their limits, on cgroup v1 and v2, below the cgroup parent the caller chose (the
/// kubelet's QoS cgroups: `kubepods`, `kubepods/burstable`, `kubepods/besteffort`):
///
/// ```
/// <parent>/<cgroup parent>/pod<sandbox>/              the pod's limits (the kubelet's sums of its containers')
/// <parent>/<cgroup parent>/pod<sandbox>/<container>/  each container's own limits, set by the OCI runtime
/// ```
///
/// Pod limits are written before the pause container joins; the OCI runtime makes the container
/// cgroups below. The cgroup parents get kubelet's CPU weights, kept as pods come and go: a parent
/// named `besteffort` the least (2 shares), any other below the runtime's parent (`kubepods/burstable`)
/// the sum of its pods' shares, so a class competes for CPU with what its pods asked for. On v1 each controller's file goes to its own hierarchy; on v2 to the one tree, with
/// the controllers enabled for the children.
public final class PodCgroups {
  private static final Logger LOG = System.getLogger(PodCgroups.class.getName());
  private static final long MIN_SHARES = 2;
  private static final long MAX_SHARES = 262_144;
  private static final java.util.Set<String> QOS_CLASSES = java.util.Set.of("kubepods", "kubepods/burstable",
      "kubepods/besteffort");
  private final CgroupLayout layout;

  public PodCgroups(CgroupLayout layout) {
    this.layout = layout;
  }

  /// Makes the pod cgroup (and the cgroups above it) with the pod's limits.
  public synchronized void createPod(String podPath, Resources r) {
    String parentPath = podPath.substring(0, podPath.lastIndexOf('/'));
    ensureTree(parentPath);
    mkdirs(podPath);
    write(podPath, settings(r));
    rebalance(parentPath);
  }

  /// Changes the CPU and memory limits of an existing cgroup (CRI's UpdateContainerResources); a memory
  /// limit below what the cgroup uses now is refused by the kernel, and that error is returned.
  public synchronized void update(String path, Resources r) {
    write(path, settings(r));
  }

  /// Removes the cgroups above a removed pod cgroup while they are empty, up to the QoS classes: a CRI
  /// caller such as kubelet names a cgroup parent per pod (`kubepods/besteffort/pod<uid>`), which would
  /// otherwise stay behind. One that still has a child (another sandbox of the pod) is kept.
  public synchronized void removeEmptyParents(String podPath) {
    String top = "/" + layout.parent();
    String path = podPath.substring(0, podPath.lastIndexOf('/'));
    while (path.startsWith(top + "/") && !QOS_CLASSES.contains(path.substring(top.length() + 1))) {
      for (Path dir : layout.directories(path)) {
        try (Stream<Path> children = Files.list(dir)) {
          if (children.anyMatch(Files::isDirectory)) {
            return;
          }
          Files.delete(dir);
        } catch (IOException e) {
          LOG.log(Logger.Level.DEBUG, "keep cgroup {0}: {1}", dir, e.getMessage());
          return;
        }
      }
      path = path.substring(0, path.lastIndexOf('/'));
    }
  }

  /// Sets the CPU weight of a pod cgroup's parent from the pods in it (after one was made or removed).
  public synchronized void rebalance(String parentPath) {
    int depth = parentPath.split("/").length - ("/" + layout.parent()).split("/").length;
    if (depth < 2) {
      // The runtime's parent and the Guaranteed class's own cgroup compete with the rest of the host.
      return;
    }
    Optional<Path> dir = layout.controllerDir(layout.unified() ? "" : "cpu", parentPath);
    if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
      return;
    }
    long shares = MIN_SHARES;
    if (!parentPath.endsWith("/besteffort")) {
      try (Stream<Path> pods = Files.list(dir.get())) {
        shares = Math.max(MIN_SHARES, pods.filter(p -> p.getFileName().toString().startsWith("pod"))
            .mapToLong(p -> podShares(p)).sum());
      } catch (IOException e) {
        throw new InternalException("list pod cgroups in " + dir.get() + ": " + e.getMessage(), e);
      }
    }
    write(parentPath, settings(new Resources(Math.min(MAX_SHARES, shares), 0, 0, 0, 0)));
  }

  private long podShares(Path pod) {
    try {
      if (layout.unified()) {
        long weight = Long.parseLong(Files.readString(pod.resolve("cpu.weight")).trim());
        return 2 + ((weight - 1) * 262_142) / 9999;
      }
      return Long.parseLong(Files.readString(pod.resolve("cpu.shares")).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /// The files and values for a cgroup with these limits (0 = no limit; shares 0 = unset).
  Map<String, Map<String, String>> settings(Resources r) {
    Map<String, Map<String, String>> byController = new LinkedHashMap<>();
    if (layout.unified()) {
      Map<String, String> v2 = new LinkedHashMap<>();
      if (r.cpuShares() > 0) {
        v2.put("cpu.weight", String.valueOf(weight(r.cpuShares())));
      }
      if (r.cpuQuota() > 0) {
        v2.put("cpu.max", r.cpuQuota() + " " + (r.cpuPeriod() > 0 ? r.cpuPeriod() : 100_000));
      }
      if (r.memoryLimitBytes() > 0) {
        v2.put("memory.max", String.valueOf(r.memoryLimitBytes()));
      }
      byController.put("", v2);
      return byController;
    }
    Map<String, String> cpu = new LinkedHashMap<>();
    if (r.cpuShares() > 0) {
      cpu.put("cpu.shares", String.valueOf(r.cpuShares()));
    }
    if (r.cpuQuota() > 0) {
      cpu.put("cpu.cfs_period_us", String.valueOf(r.cpuPeriod() > 0 ? r.cpuPeriod() : 100_000));
      cpu.put("cpu.cfs_quota_us", String.valueOf(r.cpuQuota()));
    }
    byController.put("cpu", cpu);
    if (r.memoryLimitBytes() > 0) {
      byController.put("memory", Map.of("memory.limit_in_bytes", String.valueOf(r.memoryLimitBytes())));
    }
    return byController;
  }

  /// cgroup v2's weight for v1 shares, as the OCI runtimes convert it (2..262144 to 1..10000).
  static long weight(long shares) {
    return 1 + ((Math.max(2, Math.min(262_144, shares)) - 2) * 9999) / 262_142;
  }

  private void ensureTree(String path) {
    String parent = "/" + layout.parent();
    if (path.equals(parent) || !path.startsWith(parent + "/")) {
      mkdirs(path);
      return;
    }
    mkdirs(parent);
    String[] parts = path.substring(parent.length() + 1).split("/");
    String current = parent;
    for (String part : parts) {
      current = current + "/" + part;
      mkdirs(current);
    }
  }

  /// Makes the cgroup in the hierarchies peapod writes limits to. On v2 its parent delegates the
  /// controllers to it every time, not only when it is new: a daemon killed between the two steps
  /// would otherwise leave a cgroup without limit files for good.
  private void mkdirs(String path) {
    for (String controller : layout.unified() ? new String[] {""} : new String[] {"cpu", "memory"}) {
      Optional<Path> dir = layout.controllerDir(controller, path);
      if (dir.isEmpty()) {
        continue;
      }
      try {
        if (layout.unified()) {
          enableControllers(dir.get().getParent());
        }
        Files.createDirectories(dir.get());
      } catch (IOException e) {
        throw new InternalException("make cgroup " + dir.get() + ": " + e.getMessage(), e);
      }
    }
  }

  /// On v2 a child's limits exist only once its parent delegates the controllers to it.
  private static void enableControllers(Path parent) {
    Path control = parent.resolve("cgroup.subtree_control");
    if (!Files.exists(control)) {
      return;
    }
    for (String c : new String[] {"cpu", "memory", "pids"}) {
      try {
        if (!Files.readString(control).contains(c)) {
          Files.writeString(control, "+" + c);
        }
      } catch (IOException e) {
        LOG.log(Logger.Level.WARNING, "cannot enable the {0} controller in {1}: {2}", c, parent, e.getMessage());
      }
    }
  }

  private void write(String path, Map<String, Map<String, String>> settings) {
    settings.forEach((controller, files) -> {
      Optional<Path> dir = layout.controllerDir(controller.isEmpty() ? "cpu" : controller, path);
      if (dir.isEmpty()) {
        return;
      }
      files.forEach((file, value) -> {
        try {
          Files.writeString(dir.get().resolve(file), value);
        } catch (IOException e) {
          throw new InternalException("set " + file + " = " + value + " in cgroup " + dir.get() + ": "
              + e.getMessage(), e);
        }
      });
    });
  }
}
