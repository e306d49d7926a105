package io.peapod.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.kubelet.pod.PodView;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// restartPolicy and the crash-loop back-off, driven against the fake runtime on a manual clock.
class RestartPolicyTest {
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

  private static String pod(String name, String policy) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          restartPolicy: %s
          containers:
          - {name: c, image: busybox, command: ['sh']}
        """.formatted(name, policy);
  }

  /// A container's wait is cleared as its run begins; a run that fails gives the wait that shows, at once,
  /// until the back-off's end brings the next try.
  @Test
  void aFailedRun_showsItsError_untilTheNextTry() {
    h.runtime.failNext("createContainer:c", new io.peapod.base.error.InternalException("no space left", null));
    h.apply(pod("broken", "Always"));
    PodView.ContainerView c = h.container("broken", "c");
    assertEquals("CreateContainerError", c.reason(), c.toString());
    assertEquals("CreateContainerError", h.pod("broken").status());
    h.advance(Duration.ofSeconds(10));
    assertEquals(PodView.State.RUNNING, h.container("broken", "c").state(), "the next try runs it");
  }

  @Test
  void always_firstRestartIsImmediate_thenTheBackOffDoubles_cappedAtFiveMinutes() {
    h.apply(pod("crash", "Always"));
    assertEquals(PodView.State.RUNNING, h.container("crash", "c").state());
    h.runtime.exitRunning("c", 3);
    assertEquals(1, h.runtime.running("c").orElseThrow().attempt(), "the first restart is immediate");
    List<Integer> delays = List.of(10, 20, 40, 80, 160, 300, 300);
    for (int i = 0; i < delays.size(); i++) {
      h.runtime.exitRunning("c", 3);
      PodView.ContainerView c = h.container("crash", "c");
      assertEquals("CrashLoopBackOff", c.reason(), c.toString());
      assertEquals("CrashLoopBackOff", h.pod("crash").status());
      assertEquals(3, c.lastState().orElseThrow().exitCode());
      h.advance(Duration.ofSeconds(delays.get(i)).minusMillis(1));
      assertTrue(h.runtime.running("c").isEmpty(), "still in back-off just before " + delays.get(i) + " s");
      h.advance(Duration.ofMillis(1));
      assertEquals(i + 2, h.runtime.running("c").orElseThrow().attempt(), "restarted after " + delays.get(i) + " s");
      assertEquals(i + 2, h.container("crash", "c").restartCount());
    }
    assertEquals("Running", h.pod("crash").phase(), "a pod that restarts under Always stays Running");
  }

  @Test
  void always_aContainerThatRanTenMinutes_startsTheBackOffAgain() {
    h.apply(pod("flaky", "Always"));
    h.runtime.exitRunning("c", 1);
    h.runtime.exitRunning("c", 1);
    h.advance(Duration.ofSeconds(10));
    h.runtime.exitRunning("c", 1);
    assertTrue(h.container("flaky", "c").message().contains("back-off 20s"), h.container("flaky", "c").message());
    h.advance(Duration.ofSeconds(20));
    h.advance(Duration.ofMinutes(11));
    h.runtime.exitRunning("c", 1);
    assertEquals(PodView.State.RUNNING, h.container("flaky", "c").state(),
        "after ten minutes of clean running the next restart is immediate again");
  }

  @Test
  void onFailure_restartsAFailure_butNotASuccess_andThePodSucceeds() {
    h.apply(pod("job", "OnFailure"));
    h.runtime.exitRunning("c", 2);
    assertEquals(1, h.runtime.running("c").orElseThrow().attempt());
    h.runtime.exitRunning("c", 0);
    PodView p = h.pod("job");
    assertEquals("Succeeded", p.phase());
    assertEquals("Completed", p.status());
    assertEquals(PodView.State.TERMINATED, h.container("job", "c").state());
    assertTrue(h.runtime.sandboxes().stream().noneMatch(s -> s.ready()), "a finished pod's sandbox is stopped");
    h.advance(Duration.ofMinutes(10));
    assertTrue(h.runtime.running("c").isEmpty(), "and nothing runs again");
  }

  @Test
  void never_leavesAFailedContainer_andThePodFailed() {
    h.apply(pod("once", "Never"));
    h.runtime.exitRunning("c", 7);
    PodView p = h.pod("once");
    assertEquals("Failed", p.phase());
    assertEquals("Error", p.status());
    assertEquals(7, h.container("once", "c").exitCode());
    h.advance(Duration.ofMinutes(1));
    assertEquals(1, h.runtime.instances("c").size(), "never restarted");
  }

  @Test
  void containerThatCannotRun_isTerminatedWithContainerCannotRun_andBacksOff() {
    h.runtime.cannotRun("c", "exec: \"/nope\": executable file not found in $PATH");
    h.apply(pod("bad", "Always"));
    PodView.ContainerView c = h.container("bad", "c");
    assertEquals("CrashLoopBackOff", c.reason(), c.toString());
    assertEquals("ContainerCannotRun", c.lastState().orElseThrow().reason());
    assertEquals(128, c.lastState().orElseThrow().exitCode());
    assertTrue(c.lastState().orElseThrow().message().contains("executable file not found"));
    assertEquals(2, h.runtime.instances("c").size(), "tried at once, then again, then backing off");
    h.runtime.canRun("c");
    h.advance(Duration.ofSeconds(10));
    assertEquals(PodView.State.RUNNING, h.container("bad", "c").state());
  }

  @Test
  void oldInstancesAreRemoved_keepingTheCurrentAndThePrevious() {
    h.apply(pod("gc", "Always"));
    for (int i = 0; i < 6; i++) {
      h.runtime.exitRunning("c", 1);
      h.advance(Duration.ofMinutes(5));
    }
    List<ContainerStatus> instances = h.runtime.instances("c");
    assertEquals(2, instances.size(), "kubelet keeps the current instance and the one before: " + instances);
    assertEquals(ContainerState.RUNNING, instances.getLast().state());
    assertTrue(h.runtime.calls.stream().filter(l -> l.startsWith("removeContainer c")).count() >= 4);
  }

  @Test
  void deletingAPodInBackOff_doesNotWaitForTheBackOff_andRemovesEverything() {
    h.apply(pod("gone", "Always"));
    h.runtime.exitRunning("c", 1);
    h.runtime.exitRunning("c", 1);
    assertEquals("CrashLoopBackOff", h.container("gone", "c").reason());
    h.kubelet.delete("default", "gone", java.util.Optional.empty(), false, true);
    assertTrue(h.runtime.sandboxes().isEmpty());
    assertTrue(h.runtime.instances("c").isEmpty());
    assertTrue(h.kubelet.list(java.util.Optional.empty()).isEmpty());
  }

  @Test
  void pauseDeath_makesANewSandbox_andRestartsTheContainersInIt() {
    h.apply(pod("p", "Always"));
    String first = h.pod("p").sandboxId();
    h.runtime.killSandbox(first);
    PodView p = h.pod("p");
    assertTrue(!p.sandboxId().equals(first), "a new sandbox");
    assertEquals(1, h.runtime.sandboxes().stream().filter(s -> s.id().equals(p.sandboxId())).findFirst().orElseThrow()
        .attempt());
    assertEquals(PodView.State.RUNNING, h.container("p", "c").state());
    assertEquals(1, h.container("p", "c").restartCount());
    assertTrue(h.runtime.calls.contains("stopPodSandbox " + first));
    assertTrue(h.kubelet.eventsOf(p.uid()).stream().anyMatch(e -> e.reason().equals("SandboxChanged")));
  }

  @Test
  void pauseDeath_underNever_killsThePod_withoutANewSandbox() {
    h.apply(pod("p", "Never"));
    h.runtime.killSandbox(h.pod("p").sandboxId());
    assertEquals("Failed", h.pod("p").phase());
    assertEquals(1, h.runtime.sandboxes().size());
  }
}
