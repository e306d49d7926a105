package io.peapod.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.proc.ProcFs;
import io.peapod.testing.FakeProcessWatcher;
import io.peapod.testing.RecordingSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorWatcherTest {
  private static final String SANDBOX = "a".repeat(64);
  private static final String PAUSE = SANDBOX;
  private static final String APP = "b".repeat(64);
  private static final String SIDECAR = "c".repeat(64);
  private static final int POD_MONITOR = 100;

  @TempDir
  Path proc;
  private final RecordingSyscalls sys = new RecordingSyscalls();
  private final List<String> gone = new CopyOnWriteArrayList<>();
  private MonitorWatcher watcher;
  private FakeProcessWatcher processes;

  @BeforeEach
  void setUp() throws IOException {
    watcher = new MonitorWatcher(sys, new ProcFs(proc));
    watcher.start(gone::add);
    processes = sys.processes();
    process(POD_MONITOR, "/usr/lib/peapod/peapod-podmon", SANDBOX, "/run/peapod/sandboxes/" + SANDBOX, "/usr/sbin/runc");
  }

  private void process(int pid, String... argv) throws IOException {
    Files.createDirectories(proc.resolve(String.valueOf(pid)));
    Files.writeString(proc.resolve(pid + "/cmdline"), String.join("\0", argv) + "\0");
    processes.alive.add(pid);
  }

  @Test
  void aPodMonitorThatEnds_isReportedForEveryContainerItWatched() {
    for (String id : List.of(PAUSE, APP, SIDECAR)) {
      assertTrue(watcher.watch(id, SANDBOX, POD_MONITOR), id);
    }
    processes.exit(POD_MONITOR);
    assertEquals(List.of(PAUSE, APP, SIDECAR), gone.stream().sorted().toList());
  }

  @Test
  void theMonitorIsWatchedUntilItsLastContainerIsForgotten() {
    watcher.watch(PAUSE, SANDBOX, POD_MONITOR);
    watcher.watch(APP, SANDBOX, POD_MONITOR);
    watcher.forget(APP);
    assertTrue(processes.watching(POD_MONITOR), "the pause is still watched through it");
    watcher.forget(PAUSE);
    assertFalse(processes.watching(POD_MONITOR));
    processes.exit(POD_MONITOR);
    assertEquals(List.of(), gone, "nothing is reported for forgotten containers");
  }

  @Test
  void aPidReusedByAnotherProgram_orAnotherPodsMonitor_isNotTaken() throws IOException {
    // The daemon's own command line names the monitor program and may hold a sandbox id; it is no monitor.
    process(200, "/usr/bin/java", "-jar", "peapod-server.jar", "--pod-monitor=/x/peapod-podmon", SANDBOX);
    assertFalse(watcher.watch(APP, SANDBOX, 200));
    process(300, "/usr/lib/peapod/peapod-podmon", "d".repeat(64), "/run/peapod/sandboxes/x", "/usr/sbin/runc");
    assertFalse(watcher.watch(APP, SANDBOX, 300));
    assertFalse(watcher.watch(APP, SANDBOX, 400), "no such process");
    assertFalse(processes.watching(200) || processes.watching(300));
  }

  @Test
  void aConmon_isTheMonitorOfItsOwnContainerOnly() throws IOException {
    process(500, "/usr/bin/conmon", "--api-version", "1", "-c", APP, "-u", APP.substring(0, 12));
    assertTrue(watcher.isMonitorOf(500, APP, SANDBOX));
    assertFalse(watcher.isMonitorOf(500, SIDECAR, SANDBOX));
  }
}
