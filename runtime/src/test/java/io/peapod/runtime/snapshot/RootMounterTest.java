package io.peapod.runtime.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.Mount;
import io.peapod.testing.RecordingSyscalls;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RootMounterTest {
  private final Mount overlay = new Mount("overlay", "overlay", Path.of("/run/c/x/rootfs"),
      List.of("lowerdir=/l", "upperdir=/u", "workdir=/w"));

  @Test
  void withRunc_theSpecGetsTheOverlay_andTheNodeNoMount() {
    RecordingSyscalls sys = new RecordingSyscalls();
    assertEquals(Optional.of(overlay), new RootMounter("runc", sys).place(overlay));
    assertTrue(sys.calls.isEmpty(), sys.calls.toString());
  }

  @Test
  void withAnotherRuntime_theDaemonMountsItOnTheNode_andTheSpecGetsNone() {
    RecordingSyscalls sys = new RecordingSyscalls();
    assertEquals(Optional.empty(), new RootMounter("crun", sys).place(overlay));
    assertEquals(1, sys.calls.size(), sys.calls.toString());
    assertTrue(sys.calls.getFirst().contains("rootfs"), sys.calls.toString());
  }
}
