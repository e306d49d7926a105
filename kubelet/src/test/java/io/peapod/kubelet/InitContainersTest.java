package io.peapod.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.kubelet.pod.PodView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Init containers one at a time, each to success, before the app; native sidecars that start in order,
/// keep running, restart, and stop after the app containers.
class InitContainersTest {
  @TempDir Path tmp;
  private KubeletHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new KubeletHarness(tmp);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static final String THREE_INITS = """
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        restartPolicy: %s
        initContainers:
        - {name: i1, image: busybox, command: [a]}
        - {name: i2, image: busybox, command: [b]}
        - {name: i3, image: busybox, command: [c]}
        containers:
        - {name: app, image: busybox, command: [d]}
      """;

  private List<String> starts() {
    return h.runtime.calls.stream().filter(c -> c.startsWith("startContainer")).map(c -> c.split(" ")[1]).toList();
  }

  @Test
  void initContainers_runInOrder_eachToSuccess_beforeTheApp() {
    h.apply(THREE_INITS.formatted("Always"));
    assertEquals(List.of("i1"), starts());
    assertEquals("Init:0/3", h.pod("p").status());
    h.runtime.exitRunning("i1", 0);
    assertEquals(List.of("i1", "i2"), starts());
    assertEquals("Init:1/3", h.pod("p").status());
    h.runtime.exitRunning("i2", 0);
    h.runtime.exitRunning("i3", 0);
    assertEquals(List.of("i1", "i2", "i3", "app"), starts());
    PodView p = h.pod("p");
    assertEquals("Running", p.status());
    assertTrue(p.conditions().stream().anyMatch(c -> c.type().equals("Initialized") && c.isTrue()));
  }

  @Test
  void failingInitContainer_isRetriedWithBackOff_andTheAppWaits() {
    h.apply(THREE_INITS.formatted("Always"));
    h.runtime.exitRunning("i1", 1);
    assertEquals(List.of("i1", "i1"), starts(), "the first retry is immediate");
    h.runtime.exitRunning("i1", 1);
    assertEquals("Init:CrashLoopBackOff", h.pod("p").status());
    assertEquals("Pending", h.pod("p").phase());
    h.advance(Duration.ofSeconds(10));
    h.runtime.exitRunning("i1", 0);
    assertEquals("i2", starts().getLast());
  }

  @Test
  void failingInitContainer_underNever_failsThePod() {
    h.apply(THREE_INITS.formatted("Never"));
    h.runtime.exitRunning("i1", 2);
    PodView p = h.pod("p");
    assertEquals("Failed", p.phase());
    assertEquals("Init:Error", p.status());
    assertEquals(List.of("i1"), starts(), "neither the next init container nor the app starts");
  }

  private static final String SIDECARS = """
      apiVersion: v1
      kind: Pod
      metadata: {name: s}
      spec:
        initContainers:
        - {name: setup, image: busybox, command: [a]}
        - name: proxy
          image: busybox
          command: [p]
          restartPolicy: Always
          startupProbe: {exec: {command: [ready]}, periodSeconds: 1, failureThreshold: 30}
        - {name: log, image: busybox, command: [l], restartPolicy: Always}
        containers:
        - {name: app, image: busybox, command: [d]}
      """;

  @Test
  void sidecars_startInOrder_afterTheirStartupProbe_keepRunning_andRestart() {
    h.runtime.onExec((c, cmd) -> new io.peapod.runtime.api.ExecResult(c.name().equals("proxy") ? 1 : 0, new byte[0],
        new byte[0], false));
    h.apply(SIDECARS);
    h.runtime.exitRunning("setup", 0);
    assertEquals(List.of("setup", "proxy"), starts());
    h.advanceSeconds(3);
    assertEquals(List.of("setup", "proxy"), starts(), "log waits for proxy's startup probe");
    assertEquals("Init:1/3", h.pod("s").status());
    h.runtime.onExec((c, cmd) -> new io.peapod.runtime.api.ExecResult(0, new byte[0], new byte[0], false));
    h.advanceSeconds(1);
    assertEquals(List.of("setup", "proxy", "log", "app"), starts(), "log has no probe: running is started");
    PodView p = h.pod("s");
    assertEquals("Running", p.status());
    assertEquals(3, p.total(), "sidecars count in READY as kubectl counts them");
    h.runtime.exitRunning("log", 1);
    assertEquals(PodView.State.RUNNING, h.container("s", "log").state(), "a sidecar restarts whenever it ends");
    assertEquals(1, h.container("s", "log").restartCount());
    assertEquals(PodView.State.RUNNING, h.container("s", "app").state());
  }

  @Test
  void deletion_stopsTheAppContainers_thenTheSidecarsInReverseOrder() {
    h.apply(SIDECARS.replace("    startupProbe: {exec: {command: [ready]}, periodSeconds: 1, failureThreshold: 30}\n", ""));
    h.runtime.exitRunning("setup", 0);
    assertEquals(PodView.State.RUNNING, h.container("s", "app").state());
    h.runtime.calls.clear();
    h.kubelet.delete("default", "s", Optional.empty(), false, true);
    List<String> stops = h.runtime.calls.stream().filter(c -> c.startsWith("stopContainer"))
        .map(c -> c.split(" ")[1]).toList();
    assertEquals(List.of("app", "log", "proxy"), stops);
  }

  @Test
  void appContainersOnly_whenTheSidecarsAreAllThatIsLeft_thePodEnds() {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: j}
        spec:
          restartPolicy: Never
          initContainers:
          - {name: side, image: busybox, command: [s], restartPolicy: Always}
          containers:
          - {name: work, image: busybox, command: [w]}
        """);
    h.runtime.exitRunning("work", 0);
    assertEquals("Succeeded", h.pod("j").phase(), "a job-like pod completes though its sidecar never would");
    assertTrue(h.runtime.running("side").isEmpty(), "the sidecar is stopped when the app is done");
  }

  @Test
  void anInstanceCreatedButNeverStarted_isReplacedAfterTheBackOff_andIsNoFailureUnderNever() {
    h.runtime.failNext("startContainer:init", new io.peapod.base.error.InternalException("power cut", null));
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          restartPolicy: Never
          initContainers: [{name: init, image: busybox, command: [s]}]
          containers: [{name: c, image: busybox, command: [s]}]
        """);
    assertEquals("RunContainerError", h.container("p", "init").reason());
    assertEquals("Pending", h.pod("p").phase());
    h.advance(java.time.Duration.ofSeconds(10));
    assertTrue(h.runtime.running("init").isPresent(), "a new instance runs: " + h.runtime.calls);
    assertEquals(List.of(io.peapod.runtime.api.ContainerState.RUNNING), h.runtime.instances("init").stream()
        .map(io.peapod.runtime.api.ContainerStatus::state).toList(), "the unstarted instance is removed");
    assertEquals("Pending", h.pod("p").phase(), "an instance that never ran is no failure, even under Never");
    h.runtime.exitRunning("init", 0);
    assertTrue(h.runtime.running("c").isPresent(), "then the app starts");
  }
}
