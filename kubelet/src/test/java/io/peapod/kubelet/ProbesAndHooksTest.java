package io.peapod.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.kubelet.pod.PodView;
import io.peapod.runtime.api.ExecResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Probes with their delays and thresholds, and lifecycle hooks, on the fake runtime's exec.
class ProbesAndHooksTest {
  @TempDir Path tmp;
  private KubeletHarness h;
  private final AtomicBoolean healthy = new AtomicBoolean(true);

  @BeforeEach
  void start() throws Exception {
    h = new KubeletHarness(tmp);
    h.runtime.onExec((c, cmd) -> {
      boolean ok = !cmd.getFirst().equals("check") || healthy.get();
      return new ExecResult(ok ? 0 : 1, new byte[0], (ok ? "" : "not yet").getBytes(StandardCharsets.UTF_8), false);
    });
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void readiness_isFalseUntilTheProbePasses_andFollowsIt() {
    healthy.set(false);
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: r}
        spec:
          containers:
          - name: c
            image: busybox
            command: [s]
            readinessProbe: {exec: {command: [check]}, initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 1}
        """);
    assertFalse(h.container("r", "c").ready());
    assertEquals("0/1", h.pod("r").ready() + "/" + h.pod("r").total());
    h.advance(Duration.ofSeconds(4));
    assertTrue(h.runtime.calls.stream().noneMatch(c -> c.startsWith("execSync")), "nothing runs before the delay");
    healthy.set(true);
    h.advance(Duration.ofSeconds(1));
    assertTrue(h.container("r", "c").ready());
    assertTrue(h.pod("r").conditions().stream().anyMatch(c -> c.type().equals("Ready") && c.isTrue()));
    healthy.set(false);
    h.advance(Duration.ofSeconds(2));
    assertFalse(h.container("r", "c").ready());
    assertEquals("Running", h.pod("r").status(), "an unready container keeps running");
    assertTrue(h.kubelet.eventsOf(h.pod("r").uid()).stream().anyMatch(e -> e.reason().equals("Unhealthy")
        && e.message().contains("Readiness probe failed") && e.message().contains("not yet")));
  }

  @Test
  void liveness_failingThresholdTimes_restartsTheContainer() {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: l}
        spec:
          containers:
          - name: c
            image: busybox
            command: [s]
            livenessProbe: {exec: {command: [check]}, periodSeconds: 1, failureThreshold: 3}
        """);
    h.advanceSeconds(5);
    assertEquals(0, h.container("l", "c").restartCount());
    healthy.set(false);
    h.advanceSeconds(2);
    assertEquals(0, h.container("l", "c").restartCount(), "two failures are under the threshold");
    h.advanceSeconds(1);
    assertEquals(1, h.container("l", "c").restartCount(), "the third restarts it");
    assertTrue(h.kubelet.eventsOf(h.pod("l").uid()).stream().anyMatch(e -> e.reason().equals("Killing")
        && e.message().contains("failed liveness probe, will be restarted")));
  }

  @Test
  void startupProbe_holdsLiveness_untilItPasses() {
    healthy.set(false);
    h.runtime.onExec((c, cmd) -> {
      boolean ok = cmd.getFirst().equals("live") || healthy.get();
      return new ExecResult(ok ? 0 : 1, new byte[0], new byte[0], false);
    });
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: s}
        spec:
          containers:
          - name: c
            image: busybox
            command: [s]
            startupProbe: {exec: {command: [check]}, periodSeconds: 1, failureThreshold: 10}
            livenessProbe: {exec: {command: [live]}, periodSeconds: 1}
        """);
    h.advanceSeconds(5);
    assertTrue(h.runtime.calls.stream().noneMatch(c -> c.contains("live")), "liveness waits for startup");
    assertFalse(h.container("s", "c").started());
    healthy.set(true);
    h.advanceSeconds(2);
    assertTrue(h.container("s", "c").started());
    assertTrue(h.runtime.calls.stream().anyMatch(c -> c.contains("live")));
  }

  @Test
  void failingStartupProbe_restartsTheContainer() {
    healthy.set(false);
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: s}
        spec:
          containers:
          - name: c
            image: busybox
            command: [s]
            startupProbe: {exec: {command: [check]}, periodSeconds: 1, failureThreshold: 2}
        """);
    h.advanceSeconds(3);
    assertEquals(1, h.container("s", "c").restartCount());
  }

  @Test
  void failingPostStartHook_killsTheContainer() {
    h.runtime.onExec((c, cmd) -> new ExecResult(cmd.getFirst().equals("boom") ? 2 : 0, new byte[0], new byte[0],
        false));
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
            command: [s]
            lifecycle: {postStart: {exec: {command: [boom]}}}
        """);
    assertEquals(PodView.State.TERMINATED, h.container("p", "c").state());
    assertTrue(h.kubelet.eventsOf(h.pod("p").uid()).stream().anyMatch(e -> e.reason().equals("FailedPostStartHook")));
  }

  @Test
  void preStop_runsBeforeTheStop_withinTheGracePeriod() {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          terminationGracePeriodSeconds: 20
          containers:
          - name: c
            image: busybox
            command: [s]
            lifecycle: {preStop: {exec: {command: [drain]}}}
        """);
    h.kubelet.delete("default", "p", Optional.empty(), false, true);
    List<String> calls = h.runtime.calls;
    int hook = calls.indexOf("execSync c drain");
    int stop = calls.stream().filter(c -> c.startsWith("stopContainer c")).findFirst().map(calls::indexOf).orElse(-1);
    assertTrue(hook >= 0 && stop > hook, calls.toString());
    assertTrue(calls.get(stop).endsWith("grace 20s") || calls.get(stop).endsWith("grace 19s"), calls.get(stop));
  }

  @Test
  void gracePeriodOnDelete_overridesThePods() {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          terminationGracePeriodSeconds: 20
          containers:
          - {name: c, image: busybox, command: [s]}
        """);
    h.kubelet.delete("default", "p", Optional.of(3L), false, true);
    assertTrue(h.runtime.calls.contains("stopContainer c attempt 0 grace 3s"), h.runtime.calls.toString());
  }

  @Test
  void namedPortsResolve_forHttpAndGrpcChecks() {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: g}
        spec:
          containers:
          - name: c
            image: busybox
            command: [s]
            ports: [{name: health, containerPort: 9000}]
            readinessProbe: {grpc: {port: 9000, service: api}, periodSeconds: 1}
        """);
    h.advanceSeconds(1);
    assertEquals(List.of(h.pod("g").ip() + ":9000/api"), h.grpcChecks.subList(0, 1));
    assertTrue(h.container("g", "c").ready());
  }

  @Test
  void activeDeadlineSeconds_killsThePod_andItFails() {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: d}
        spec:
          activeDeadlineSeconds: 30
          containers:
          - {name: c, image: busybox, command: [s]}
        """);
    h.advance(Duration.ofSeconds(29));
    assertEquals("Running", h.pod("d").phase());
    h.advance(Duration.ofSeconds(1));
    PodView p = h.pod("d");
    assertEquals("Failed", p.phase());
    assertEquals("DeadlineExceeded", p.reason());
    assertTrue(h.runtime.running("c").isEmpty());
  }
}
