package io.peapod.runtime.cgroup;

import io.peapod.base.error.NotFoundException;
import io.peapod.runtime.api.ContainerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/// A container's CPU and memory use from its cgroup files: on v1 `cpuacct.usage` and the memory
/// controller's `memory.usage_in_bytes` less `total_inactive_file`; on v2 `cpu.stat`'s `usage_usec` and
/// `memory.current` less `inactive_file`. The working set is what kubelet and `kubectl top` report.
public final class CgroupStats {
  private CgroupStats() {}

  public static ContainerStats read(CgroupLayout layout, String cgroupPath, String containerId) {
    Instant at = Instant.now();
    if (layout.unified()) {
      Path dir = layout.controllerDir("", cgroupPath).orElseThrow();
      long cpu = field(dir.resolve("cpu.stat"), "usage_usec").orElse(0L) * 1000;
      long memory = number(dir.resolve("memory.current")) - field(dir.resolve("memory.stat"), "inactive_file").orElse(0L);
      return new ContainerStats(containerId, at, cpu, Math.max(0, memory));
    }
    long cpu = layout.controllerDir("cpuacct", cgroupPath).map(d -> number(d.resolve("cpuacct.usage"))).orElse(0L);
    long memory = layout.controllerDir("memory", cgroupPath).map(d -> number(d.resolve("memory.usage_in_bytes"))
        - field(d.resolve("memory.stat"), "total_inactive_file").orElse(0L)).orElse(0L);
    return new ContainerStats(containerId, at, cpu, Math.max(0, memory));
  }

  private static long number(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      throw new NotFoundException("container cgroup file " + file + " is not readable (is the container running?): "
          + e.getMessage());
    }
  }

  /// A `key value` line of a stat file.
  private static Optional<Long> field(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key + " ")) {
          return Optional.of(Long.parseLong(line.substring(key.length() + 1).trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
