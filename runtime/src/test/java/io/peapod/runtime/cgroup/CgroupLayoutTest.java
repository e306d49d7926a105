package io.peapod.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InternalException;
import io.peapod.testing.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
  @TempDir Path tmp;

  @Test
  void detect_hybridHost_findsEveryHierarchy_notUnified() throws Exception {
    Path mi = Files.writeString(tmp.resolve("mountinfo"), """
        30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw
        31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
        32 30 0:28 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
        """);
    CgroupLayout l = CgroupLayout.detect("peapod", mi);
    assertEquals(List.of(Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup/unified")), l.hierarchies());
    assertFalse(l.unified());
    assertTrue(CgroupLayout.detect("p", Files.writeString(tmp.resolve("m2"),
        "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")).unified());
  }

  @Test
  void cgroupPaths_stayInsideTheHierarchy_whateverSlashesTheParentHas() {
    Path memory = tmp.resolve("memory");
    CgroupLayout l = new CgroupLayout("/peapod-x/", List.of(memory), java.util.Map.of("memory", memory), false);
    assertEquals("peapod-x", l.parent());
    String pod = l.podPath("/kubepods/burstable/", "abc");
    assertEquals("/peapod-x/kubepods/burstable/podabc", pod);
    assertEquals(memory.resolve("peapod-x/kubepods/burstable/podabc"), l.controllerDir("memory", "/" + pod).orElseThrow());
    assertThrows(io.peapod.base.error.InvalidArgumentException.class, () -> l.controllerDir("memory", "/a/../../etc"));
    assertThrows(io.peapod.base.error.InvalidArgumentException.class,
        () -> new CgroupLayout("../x", List.of(memory), java.util.Map.of(), false));
  }

  @Test
  void remove_podCgroup_inEveryHierarchy_deepestFirst() throws Exception {
    Path memory = tmp.resolve("memory");
    Path pids = tmp.resolve("pids");
    CgroupLayout l = new CgroupLayout("peapod", List.of(memory, pids), java.util.Map.of(), false);
    String pod = l.podPath("", "abc");
    assertEquals("/peapod/podabc", pod);
    Files.createDirectories(memory.resolve("peapod/podabc/c1"));
    Files.createDirectories(pids.resolve("peapod/podabc"));
    l.remove(pod, new RecordingSyscalls());
    assertFalse(Files.exists(memory.resolve("peapod/podabc")));
    assertFalse(Files.exists(pids.resolve("peapod/podabc")));
    assertTrue(Files.exists(memory.resolve("peapod")), "the parent stays");
  }

  @Test
  void remove_cgroupStillHoldingProcesses_killsThemAndSaysWhichWhenTheyStay() throws Exception {
    Path memory = tmp.resolve("memory");
    CgroupLayout l = new CgroupLayout("peapod", List.of(memory), java.util.Map.of(), false);
    Path pod = Files.createDirectories(memory.resolve("peapod/podabc"));
    // On a real cgroupfs rmdir refuses a cgroup with processes; here the file makes the directory non-empty.
    Files.writeString(pod.resolve("cgroup.procs"), "4242\n");
    RecordingSyscalls sys = new RecordingSyscalls();
    InternalException e = assertThrows(InternalException.class, () -> l.remove(l.podPath("", "abc"), sys));
    assertTrue(e.getMessage().contains("[4242]"), e.getMessage());
    assertTrue(sys.calls.contains("kill 4242 9"), sys.calls.toString());
  }

  @Test
  void podCgroupsAndContainerIds_areReadFromEveryHierarchyAndQosCgroup_andACallersPodParentIsNoSandbox()
      throws Exception {
    Path memory = tmp.resolve("memory");
    Path pids = tmp.resolve("pids");
    CgroupLayout l = new CgroupLayout("peapod", List.of(memory, pids), java.util.Map.of(), false);
    String a = "a".repeat(64);
    String b = "b".repeat(64);
    String c = "c".repeat(64);
    String d = "d".repeat(64);
    String e = "e".repeat(64);
    Files.createDirectories(memory.resolve("peapod/pod" + a + "/c1"));
    Files.createDirectories(pids.resolve("peapod/pod" + b));
    Files.createDirectories(pids.resolve("peapod/pod" + a + "/c2"));
    Files.createDirectories(memory.resolve("peapod/kubepods/burstable/pod" + c + "/c3"));
    Files.createDirectories(memory.resolve("peapod/kubepods/pod" + d));
    // kubelet's own pod cgroup as a CRI cgroup_parent, with a sandbox below it
    Files.createDirectories(memory.resolve("peapod/kubepods/besteffort/pod1f6b-uid/pod" + e + "/c4"));
    assertEquals(java.util.Map.of(a, "/peapod/pod" + a, b, "/peapod/pod" + b,
        c, "/peapod/kubepods/burstable/pod" + c, d, "/peapod/kubepods/pod" + d,
        e, "/peapod/kubepods/besteffort/pod1f6b-uid/pod" + e), l.podCgroups());
    assertEquals(java.util.Set.of("c1", "c2"), l.containerIds("/peapod/pod" + a));
    assertEquals(java.util.Set.of("c3"), l.containerIds(l.podPath("kubepods/burstable", c)));
  }

  @Test
  void oomKilled_readsV1OomControl() throws Exception {
    Path memory = tmp.resolve("memory");
    CgroupLayout l = new CgroupLayout("peapod", List.of(memory), java.util.Map.of(), false);
    Path c = Files.createDirectories(memory.resolve("peapod/podabc/c1"));
    Files.writeString(c.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    assertTrue(l.oomKilled("/peapod/podabc/c1"));
    Files.writeString(c.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    assertFalse(l.oomKilled("/peapod/podabc/c1"));
  }
}
