package io.peapod.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.testing.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// CgroupKill on a fake cgroupfs: which processes get SIGKILL, and that the freezer is let go.
class CgroupKillTest {
  @TempDir
  Path tmp;
  private final RecordingSyscalls sys = new RecordingSyscalls();

  private Path cgroup(Path hierarchy, String path, String procs) throws Exception {
    Path dir = Files.createDirectories(hierarchy.resolve(path));
    Files.writeString(dir.resolve("cgroup.procs"), procs);
    return dir;
  }

  @Test
  void v1_freezesKillsEveryProcessBelow_andThaws() throws Exception {
    Path freezer = tmp.resolve("freezer");
    Path c = cgroup(freezer, "peapod/kubepods/besteffort/podS/C", "11\n12\n");
    cgroup(freezer, "peapod/kubepods/besteffort/podS/C/nested", "13\n");
    cgroup(freezer, "peapod/kubepods/besteffort/podS/other", "99\n");
    Files.writeString(c.resolve("freezer.state"), "THAWED\n");
    CgroupLayout layout = new CgroupLayout("peapod", List.of(freezer), Map.of("freezer", freezer), false);
    assertTrue(new CgroupKill(layout, sys).killContainer("kubepods/besteffort", "S", "C"));
    assertEquals(List.of("kill 11 9", "kill 12 9", "kill 13 9"), sys.calls.stream().sorted().toList());
    assertEquals("THAWED", Files.readString(c.resolve("freezer.state")).trim());
  }

  @Test
  void aCgroupThatIsNotThere_isLeftToTheOciRuntime() {
    Path freezer = tmp.resolve("freezer");
    CgroupLayout layout = new CgroupLayout("peapod", List.of(freezer), Map.of("freezer", freezer), false);
    assertFalse(new CgroupKill(layout, sys).killContainer("", "S", "C"));
    assertEquals(List.of(), sys.calls);
  }

  @Test
  void v1_withoutAFreezer_leavesItToTheOciRuntime() throws Exception {
    Path memory = tmp.resolve("memory");
    cgroup(memory, "peapod/podS/C", "11\n");
    CgroupLayout layout = new CgroupLayout("peapod", List.of(memory), Map.of("memory", memory), false);
    assertFalse(new CgroupKill(layout, sys).killContainer("", "S", "C"));
    assertEquals(List.of(), sys.calls);
  }

  @Test
  void v2_writesCgroupKill() throws Exception {
    Path unified = tmp.resolve("unified");
    Path c = cgroup(unified, "peapod/podS/C", "11\n");
    Files.writeString(c.resolve("cgroup.kill"), "");
    CgroupLayout layout = new CgroupLayout("peapod", List.of(unified), Map.of(), true);
    assertTrue(new CgroupKill(layout, sys).killContainer("", "S", "C"));
    assertEquals("1", Files.readString(c.resolve("cgroup.kill")));
  }
}
