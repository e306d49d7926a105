package io.peapod.runtime.cgroup;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/// Knows where the cgroup hierarchies are mounted and names pod and container cgroups within them.
///
/// A pod's cgroup is `/<parent>/<cgroupParent>/pod<sandbox id>` (its cgroup parent is the kubelet's
/// QoS cgroup, `kubepods/burstable`), and each container's is `<pod cgroup>/<container id>`.
///
/// @param hierarchies the mount points of every cgroup and cgroup2 file system
/// @param controllers for cgroup v1, the mount point of each controller (`memory`, `cpu`, `pids`)
/// @param unified true when the host has only cgroup v2, mounted at the cgroup root
public record CgroupLayout(String parent, List<Path> hierarchies, Map<String, Path> controllers, boolean unified) {
  /// How deep below the parent pod cgroups are looked for (`kubepods/burstable/pod<id>` is 3, kubelet's
  /// `kubepods/burstable/pod<uid>/pod<id>` through CRI is 4).
  static final int POD_DEPTH = 8;
  private static final java.util.regex.Pattern SANDBOX_CGROUP = java.util.regex.Pattern.compile("pod[0-9a-f]{64}");

  /// `parent` is taken as kubelet takes `--cgroup-root`: `/peapod` and `peapod` name the same cgroup.
  public CgroupLayout {
    parent = parent.replaceAll("^/+|/+$", "");
    if (parent.isEmpty() || List.of(parent.split("/")).contains("..")) {
      throw new InvalidArgumentException("cgroup parent '" + parent + "' must name a cgroup below the root, without"
          + " '..' (like peapod or /peapod)");
    }
    hierarchies = List.copyOf(hierarchies);
    controllers = Map.copyOf(controllers);
  }

  /// Reads the hierarchies from a mountinfo file (normally `/proc/self/mountinfo`).
  public static CgroupLayout detect(String parent, Path mountinfo) {
    List<Path> found = new ArrayList<>();
    Map<String, Path> controllers = new HashMap<>();
    boolean unified = false;
    try {
      for (String line : Files.readAllLines(mountinfo)) {
        int sep = line.indexOf(" - ");
        if (sep < 0) {
          continue;
        }
        String fsType = line.substring(sep + 3).split(" ")[0];
        if (fsType.equals("cgroup") || fsType.equals("cgroup2")) {
          Path mountPoint = Path.of(line.split(" ")[4]);
          found.add(mountPoint);
          String[] tail = line.substring(sep + 3).split(" ");
          if (fsType.equals("cgroup") && tail.length >= 3) {
            for (String option : tail[2].split(",")) {
              controllers.putIfAbsent(option, mountPoint);
            }
          }
          if (fsType.equals("cgroup2") && mountPoint.equals(Path.of("/sys/fs/cgroup"))) {
            unified = true;
          }
        }
      }
    } catch (IOException e) {
      throw new InternalException("read " + mountinfo, e);
    }
    return new CgroupLayout(parent, found, controllers, unified);
  }

  /// The pod cgroup of a sandbox whose cgroup parent is `cgroupParent` (may be empty).
  public String podPath(String cgroupParent, String sandboxId) {
    String below = cgroupParent.replaceAll("^/+|/+$", "");
    if (List.of(below.split("/")).contains("..")) {
      throw new InvalidArgumentException("cgroup parent '" + cgroupParent + "' may not contain '..'");
    }
    return "/" + parent + (below.isEmpty() ? "" : "/" + below) + "/pod" + sandboxId;
  }

  public String containerPath(String podPath, String containerId) {
    return podPath + "/" + containerId;
  }

  /// Where a controller's files for a cgroup path are: the v2 tree, or the controller's v1 hierarchy.
  public Optional<Path> controllerDir(String controller, String cgroupPath) {
    Optional<Path> root = unified ? Optional.of(hierarchies.getFirst()) : Optional.ofNullable(controllers.get(controller));
    return root.map(r -> within(r, cgroupPath));
  }

  /// A cgroup path below a hierarchy's root; however many slashes it starts with, and whatever `..` it
  /// holds, it cannot name a directory outside the hierarchy.
  static Path within(Path hierarchy, String cgroupPath) {
    Path p = hierarchy.resolve(cgroupPath.replaceFirst("^/+", "")).normalize();
    if (!p.startsWith(hierarchy)) {
      throw new InvalidArgumentException("cgroup path " + cgroupPath + " leads out of " + hierarchy);
    }
    return p;
  }

  /// The directories that exist for a cgroup path, one per hierarchy that has it.
  public List<Path> directories(String cgroupPath) {
    return hierarchies.stream().map(h -> within(h, cgroupPath)).filter(Files::isDirectory).toList();
  }

  /// Removes a cgroup and anything left below it in every hierarchy, deepest first. A cgroup that still
  /// holds processes cannot be removed: they are peapod's (a container whose monitor was lost, a runc
  /// init a crash left behind), so they are killed first, and the removal waits for them to go.
  public void remove(String cgroupPath, Syscalls sys) {
    for (Path dir : directories(cgroupPath)) {
      List<Path> deepestFirst;
      try (Stream<Path> walk = Files.walk(dir)) {
        deepestFirst = walk.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
      } catch (NoSuchFileException gone) {
        continue;
      } catch (IOException e) {
        throw new InternalException("remove cgroup " + dir + ": " + e.getMessage(), e);
      }
      for (Path d : deepestFirst) {
        removeOne(d, sys);
      }
    }
  }

  private static void removeOne(Path dir, Syscalls sys) {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        List<Integer> pids = processes(dir);
        if (attempt >= 50) {
          throw new InternalException("remove cgroup " + dir + ": " + e.getMessage() + "; processes still in it: "
              + pids, e);
        }
        pids.forEach(pid -> sys.kill(pid, 9));
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InternalException("interrupted removing cgroup " + dir, ie);
        }
      }
    }
  }

  /// The pids in one cgroup directory (not below it).
  public static List<Integer> processes(Path dir) {
    try {
      return Files.readAllLines(dir.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
          .map(l -> Integer.parseInt(l.trim())).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | NumberFormatException e) {
      throw new InternalException("read " + dir.resolve("cgroup.procs") + ": " + e.getMessage(), e);
    }
  }

  /// The pod cgroups under the parent in some hierarchy (at most [#POD_DEPTH] levels down, below
  /// cgroup parents such as `kubepods/burstable`), by sandbox id.
  public Map<String, String> podCgroups() {
    Map<String, String> pods = new TreeMap<>();
    for (Path root : directories("/" + parent)) {
      collectPods(root, "/" + parent, POD_DEPTH, pods);
    }
    return pods;
  }

  private static void collectPods(Path dir, String path, int depth, Map<String, String> pods) {
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      throw new InternalException("list cgroups under " + dir + ": " + e.getMessage(), e);
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      // Only `pod<sandbox id>` is a sandbox's cgroup: a CRI caller's own cgroup parent may be named
      // `pod<uid>` too (kubelet's `kubepods/besteffort/pod<uid>`), and holds sandboxes below it.
      if (SANDBOX_CGROUP.matcher(name).matches()) {
        pods.put(name.substring(3), path + "/" + name);
      } else if (depth > 1) {
        collectPods(child, path + "/" + name, depth - 1, pods);
      }
    }
  }

  /// The container ids that have a cgroup in a pod cgroup in some hierarchy.
  public Set<String> containerIds(String podPath) {
    Set<String> ids = new TreeSet<>();
    for (Path dir : directories(podPath)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(Files::isDirectory).forEach(p -> ids.add(p.getFileName().toString()));
      } catch (IOException e) {
        throw new InternalException("list cgroups under " + dir + ": " + e.getMessage(), e);
      }
    }
    return ids;
  }

  /// Whether the kernel's OOM killer killed a process of this cgroup (memory.oom_control's `oom_kill`
  /// in v1, memory.events in v2), read before the OCI runtime removes the cgroup.
  public boolean oomKilled(String cgroupPath) {
    for (Path dir : directories(cgroupPath)) {
      for (String file : List.of("memory.oom_control", "memory.events")) {
        Path p = dir.resolve(file);
        if (!Files.isReadable(p)) {
          continue;
        }
        try {
          for (String line : Files.readAllLines(p)) {
            if (line.startsWith("oom_kill ") && Long.parseLong(line.substring(9).trim()) > 0) {
              return true;
            }
          }
        } catch (IOException | NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }
}
