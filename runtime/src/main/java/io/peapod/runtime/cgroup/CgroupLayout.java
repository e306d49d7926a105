package io.peapod.runtime.cgroup;

import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /// Removes a cgroup and anything left below it in every hierarchy, deepest first.
  /// A cgroup that still has processes cannot be removed; that is reported, not ignored.
  public void remove(String cgroupPath) {
    for (Path dir : directories(cgroupPath)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path d : walk.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
          try {
            Files.delete(d);
          } catch (NoSuchFileException gone) {
            // Removed concurrently (by the OCI runtime): the goal.
          }
        }
      } catch (DirectoryNotEmptyException e) {
        throw new InternalException("remove cgroup " + dir + ": it still has processes or is not a cgroup", e);
      } catch (IOException e) {
        throw new InternalException("remove cgroup " + dir + ": " + e.getMessage(), e);
      }
    }
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
