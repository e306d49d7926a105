package io.peapod.runtime.cgroup;

import io.peapod.base.error.InternalException;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/// Knows where the cgroup hierarchies are mounted and names pod and container cgroups within them.
///
/// @param hierarchies the mount points of every cgroup and cgroup2 file system
/// @param unified true when the host has only cgroup v2, mounted at the cgroup root
public record CgroupLayout(String parent, List<Path> hierarchies, boolean unified) {
  public CgroupLayout {
    hierarchies = List.copyOf(hierarchies);
  }

  /// Reads the hierarchies from a mountinfo file (normally `/proc/self/mountinfo`).
  public static CgroupLayout detect(String parent, Path mountinfo) {
    List<Path> found = new ArrayList<>();
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
          if (fsType.equals("cgroup2") && mountPoint.equals(Path.of("/sys/fs/cgroup"))) {
            unified = true;
          }
        }
      }
    } catch (IOException e) {
      throw new InternalException("read " + mountinfo, e);
    }
    return new CgroupLayout(parent, found, unified);
  }

  public String podPath(String sandboxId) {
    return "/" + parent + "/pod" + sandboxId;
  }

  public String containerPath(String sandboxId, String containerId) {
    return podPath(sandboxId) + "/" + containerId;
  }

  /// The directories that exist for a cgroup path, one per hierarchy that has it.
  public List<Path> directories(String cgroupPath) {
    return hierarchies.stream().map(h -> h.resolve(cgroupPath.substring(1))).filter(Files::isDirectory).toList();
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

  /// The sandbox ids that have a pod cgroup under the parent in some hierarchy.
  public Set<String> podSandboxIds() {
    Set<String> ids = new TreeSet<>();
    for (Path dir : directories("/" + parent)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pod"))
            .forEach(n -> ids.add(n.substring(3)));
      } catch (IOException e) {
        throw new InternalException("list cgroups under " + dir + ": " + e.getMessage(), e);
      }
    }
    return ids;
  }

  /// The container ids that have a cgroup in the sandbox's pod cgroup in some hierarchy.
  public Set<String> containerIds(String sandboxId) {
    Set<String> ids = new TreeSet<>();
    for (Path dir : directories(podPath(sandboxId))) {
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
