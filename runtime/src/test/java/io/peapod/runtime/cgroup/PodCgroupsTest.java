package io.peapod.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.runtime.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodCgroupsTest {
  @TempDir Path tmp;

  @Test
  void v1_podLimitsGoToEachControllersHierarchy_underTheQosCgroup() throws Exception {
    Path cpu = Files.createDirectories(tmp.resolve("cpu"));
    Path memory = Files.createDirectories(tmp.resolve("memory"));
    CgroupLayout l = new CgroupLayout("peapod", List.of(cpu, memory), Map.of("cpu", cpu, "memory", memory), false);
    String pod = l.podPath("kubepods/burstable", "abc");
    new PodCgroups(l).createPod(pod, new Resources(768, 150_000, 100_000, 192L << 20, 0));
    Path dir = cpu.resolve("peapod/kubepods/burstable/podabc");
    assertEquals("768", Files.readString(dir.resolve("cpu.shares")));
    assertEquals("150000", Files.readString(dir.resolve("cpu.cfs_quota_us")));
    assertEquals("100000", Files.readString(dir.resolve("cpu.cfs_period_us")));
    assertEquals(String.valueOf(192L << 20),
        Files.readString(memory.resolve("peapod/kubepods/burstable/podabc/memory.limit_in_bytes")));
  }

  @Test
  void v1_aPodWithoutLimitsWritesNone() throws Exception {
    Path cpu = Files.createDirectories(tmp.resolve("cpu"));
    Path memory = Files.createDirectories(tmp.resolve("memory"));
    CgroupLayout l = new CgroupLayout("peapod", List.of(cpu, memory), Map.of("cpu", cpu, "memory", memory), false);
    new PodCgroups(l).createPod(l.podPath("kubepods/besteffort", "x"), new Resources(2, 0, 0, 0, 0));
    assertEquals("2", Files.readString(cpu.resolve("peapod/kubepods/besteffort/podx/cpu.shares")));
    assertFalse(Files.exists(memory.resolve("peapod/kubepods/besteffort/podx/memory.limit_in_bytes")));
    assertFalse(Files.exists(cpu.resolve("peapod/kubepods/besteffort/podx/cpu.cfs_quota_us")));
  }

  @Test
  void v2_usesMaxAndWeightFiles_andDelegatesControllers() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("unified"));
    Files.writeString(root.resolve("cgroup.subtree_control"), "");
    CgroupLayout l = new CgroupLayout("peapod", List.of(root), Map.of(), true);
    new PodCgroups(l).createPod(l.podPath("kubepods", "g"), new Resources(1024, 50_000, 100_000,
        64L << 20, 0));
    Path dir = root.resolve("peapod/kubepods/podg");
    assertEquals("50000 100000", Files.readString(dir.resolve("cpu.max")));
    assertEquals(String.valueOf(64L << 20), Files.readString(dir.resolve("memory.max")));
    assertEquals("39", Files.readString(dir.resolve("cpu.weight")), "1024 shares is weight 39, as runc converts");
    assertTrue(Files.readString(root.resolve("cgroup.subtree_control")).startsWith("+"));
  }

  @Test
  void classCgroups_getKubeletsWeights_asPodsComeAndGo() throws Exception {
    Path cpu = Files.createDirectories(tmp.resolve("cpu"));
    CgroupLayout l = new CgroupLayout("peapod", List.of(cpu), Map.of("cpu", cpu), false);
    PodCgroups c = new PodCgroups(l);
    c.createPod(l.podPath("kubepods/burstable", "a"), new Resources(102, 0, 0, 0, 0));
    c.createPod(l.podPath("kubepods/burstable", "b"), new Resources(512, 0, 0, 0, 0));
    c.createPod(l.podPath("kubepods/besteffort", "x"), new Resources(2, 0, 0, 0, 0));
    c.createPod(l.podPath("kubepods/besteffort", "y"), new Resources(2, 0, 0, 0, 0));
    assertEquals("614", Files.readString(cpu.resolve("peapod/kubepods/burstable/cpu.shares")));
    assertEquals("2", Files.readString(cpu.resolve("peapod/kubepods/besteffort/cpu.shares")));
    assertFalse(Files.exists(cpu.resolve("peapod/kubepods/cpu.shares")), "the Guaranteed class is left as it is");
    Files.delete(cpu.resolve("peapod/kubepods/burstable/podb/cpu.shares"));
    Files.delete(cpu.resolve("peapod/kubepods/burstable/podb"));
    c.rebalance("/peapod/kubepods/burstable");
    assertEquals("102", Files.readString(cpu.resolve("peapod/kubepods/burstable/cpu.shares")));
  }
}
