package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import io.peapod.sys.proc.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The pod monitor (peapod-podmon), checked on what the kernel and the disk show: one process is the
/// parent of a pod's pause and plain containers and leaves with the pod; the log it writes is kubelet's
/// CRI format, a line written in two parts marked partial; an attach client gets a plain container's
/// stdout and stderr apart; an exit by signal is 128 + the signal.
class PodMonitorIT extends SharedDaemon {
  @Test
  void oneMonitor_parentsThePauseAndEveryPlainContainer_andLeavesWithThePod() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("three.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: three}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - {name: a, image: busybox, command: ['sleep', '3600']}
          - {name: b, image: busybox, command: ['sleep', '3600']}
          - {name: c, image: busybox, command: ['sleep', '3600']}
        """).toString(), "--wait").ok();
    int monitor = TestDaemon.parentPid(daemon.pausePid("three"));
    assertTrue(TestDaemon.isPodMonitor(ProcFs.HOST.cmdline(monitor)), ProcFs.HOST.cmdline(monitor));
    for (String c : List.of("a", "b", "c")) {
      assertEquals(monitor, TestDaemon.parentPid(daemon.pid("three", c)), "container " + c + "'s parent");
    }
    assertTrue(TestDaemon.parentPid(monitor) != daemon.daemonPid(), "detached: the monitor outlives the daemon");
    daemon.cli("delete", "pod", "three", "--now").ok();
    assertTrue(daemon.eventually(() -> !ProcFs.HOST.isAlive(monitor)), "the monitor left with its pod");
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void theLog_isCriFormat_withALineWrittenInTwoPartsMarkedPartial() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("parts.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: parts}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'printf half; sleep 0.5; echo -way; echo oops >&2; sleep 3600']
        """).toString(), "--wait").ok();
    String uid = daemon.pod("parts").get("metadata").get("uid").text("");
    Path log = daemon.root.resolve("logs").resolve("default_parts_" + uid).resolve("c/0.log");
    assertTrue(daemon.eventually(() -> lines(log).size() >= 3), "three log lines: " + lines(log));
    String time = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z ";
    List<String> lines = lines(log);
    assertTrue(lines.get(0).matches(time + "stdout P half"), lines.toString());
    assertTrue(lines.get(1).matches(time + "stdout F -way"), lines.toString());
    assertTrue(lines.get(2).matches(time + "stderr F oops"), lines.toString());
    assertEquals("half-way\noops\n", daemon.cli("logs", "parts").ok().out());
    daemon.cli("delete", "pod", "parts", "--now").ok();
  }

  @Test
  void attach_getsAPlainContainersStdoutAndStderrApart_andItsExitCode() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("ticks.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: ticks}
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'for i in $(seq 40); do echo tick; echo tock >&2; sleep 0.1; done; exit 3']
        """).toString(), "--wait").ok();
    CliResult attached = daemon.cli("attach", "ticks", "-c", "c");
    assertEquals(3, attached.exitCode(), attached.toString());
    assertTrue(attached.out().contains("tick\n") && !attached.out().contains("tock"), attached.out());
    assertTrue(attached.err().contains("tock\n") && !attached.err().contains("tick"), attached.err());
    daemon.cli("delete", "pod", "ticks", "--now").ok();
  }

  /// Containers whose processes end as soon as they start, side by side: each exit is its container's,
  /// after its start, and shows as terminated (not as still waiting for the image, which a status built
  /// between two syncs showed while the second sync was under way).
  @Test
  void aContainerThatEndsAsItStarts_hasItsExitRecordedAfterItsStart() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("brief.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: brief}
        spec:
          restartPolicy: Never
          containers:
          - {name: a, image: busybox, command: ['sh', '-c', 'exit 7']}
          - {name: b, image: busybox, command: ['true']}
        """).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(20), () -> daemon.pod("brief").get("status").get("phase").text("")
        .equals("Failed")), daemon.pod("brief").raw().toString());
    for (String c : List.of("a", "b")) {
      JsonNode status = daemon.container("brief", c);
      JsonNode terminated = status.get("state").get("terminated");
      assertEquals(c.equals("a") ? 7 : 0, terminated.get("exitCode").asLong(-1), status.raw().toString());
      assertEquals(c.equals("a") ? "Error" : "Completed", terminated.get("reason").text(""), status.raw().toString());
      Instant started = Instant.parse(terminated.get("startedAt").text(""));
      Instant finished = Instant.parse(terminated.get("finishedAt").text(""));
      assertTrue(!started.isAfter(finished), status.raw().toString());
    }
    String events = daemon.events("brief");
    assertTrue(events.contains("Started container a") && events.contains("Started container b")
        && !events.contains("Failed"), "both ran, neither as a container that could not run:\n" + events);
    daemon.cli("delete", "pod", "brief", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void aContainerKilledBySignal_exitsWith128PlusTheSignal() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("killed.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: killed}
        spec:
          restartPolicy: Never
          containers:
          - {name: c, image: busybox, command: ['sleep', '3600']}
        """).toString(), "--wait").ok();
    int pid = daemon.pid("killed", "c");
    TestDaemon.run("kill", "-9", String.valueOf(pid));
    assertTrue(daemon.eventually(Duration.ofSeconds(10),
        () -> daemon.container("killed", "c").get("state").get("terminated").get("exitCode").asLong(-1) == 137),
        daemon.container("killed", "c").raw().toString());
    JsonNode terminated = daemon.container("killed", "c").get("state").get("terminated");
    assertEquals("Error", terminated.get("reason").text(""), terminated.raw().toString());
    assertTrue(!ProcFs.HOST.isAlive(pid));
    daemon.cli("delete", "pod", "killed", "--now").ok();
  }

  @Test
  void aContainerFloodingItsOutput_doesNotHoldUpTheExitOfItsNeighbour() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("flood.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: flood}
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          containers:
          - {name: flood, image: busybox, command: ['yes']}
          - {name: quick, image: busybox, command: ['sh', '-c', 'sleep 1; exit 7']}
        """).toString(), "--wait").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(15),
        () -> daemon.container("flood", "quick").get("state").get("terminated").get("exitCode").asLong(-1) == 7),
        "the one monitor of both still hears the exit: " + daemon.container("flood", "quick").raw());
    assertTrue(daemon.container("flood", "flood").get("state").has("running"));
    daemon.cli("delete", "pod", "flood", "--now").ok();
  }

  private static List<String> lines(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
