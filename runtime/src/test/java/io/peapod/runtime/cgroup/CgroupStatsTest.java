package io.peapod.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peapod.runtime.api.ContainerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsTest {
  @TempDir Path tmp;

  @Test
  void v1_cpuFromCpuacct_workingSetIsUsageLessInactiveFile() throws Exception {
    Path cpuacct = Files.createDirectories(tmp.resolve("cpuacct/p/pod1/c"));
    Path memory = Files.createDirectories(tmp.resolve("memory/p/pod1/c"));
    Files.writeString(cpuacct.resolve("cpuacct.usage"), "123456789\n");
    Files.writeString(memory.resolve("memory.usage_in_bytes"), "10485760\n");
    Files.writeString(memory.resolve("memory.stat"), "cache 1\ntotal_inactive_file 2097152\n");
    CgroupLayout l = new CgroupLayout("p", List.of(tmp.resolve("cpuacct"), tmp.resolve("memory")),
        Map.of("cpuacct", tmp.resolve("cpuacct"), "memory", tmp.resolve("memory")), false);
    ContainerStats s = CgroupStats.read(l, "/p/pod1/c", "c");
    assertEquals(123456789, s.cpuUsageNanos());
    assertEquals(8 << 20, s.memoryWorkingSetBytes());
  }

  @Test
  void v2_cpuFromCpuStat() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("p/pod1/c"));
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 2000\nuser_usec 1000\n");
    Files.writeString(dir.resolve("memory.current"), "4096\n");
    Files.writeString(dir.resolve("memory.stat"), "anon 1\ninactive_file 1024\n");
    ContainerStats s = CgroupStats.read(new CgroupLayout("p", List.of(tmp), Map.of(), true), "/p/pod1/c", "c");
    assertEquals(2_000_000, s.cpuUsageNanos());
    assertEquals(3072, s.memoryWorkingSetBytes());
  }
}
