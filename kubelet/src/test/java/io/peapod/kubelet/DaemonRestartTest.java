package io.peapod.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.kubelet.pod.PodView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// What survives the daemon (restart counts, back-offs, events, a deletion under way), and static pods.
class DaemonRestartTest {
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

  @Test
  void restartCountsBackOffsAndEvents_surviveTheDaemon() {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: crash}
        spec:
          containers: [{name: c, image: busybox, command: [s]}]
        """);
    h.runtime.exitRunning("c", 1);
    h.runtime.exitRunning("c", 1);
    h.advance(Duration.ofSeconds(10));
    h.runtime.exitRunning("c", 1);
    assertEquals(2, h.container("crash", "c").restartCount());
    long eventsBefore = h.kubelet.eventsOf(h.pod("crash").uid()).size();
    h.restart();
    PodView.ContainerView c = h.container("crash", "c");
    assertEquals("CrashLoopBackOff", c.reason(), "the back-off is still on after the restart");
    assertTrue(c.message().contains("back-off 20s"), c.message());
    assertEquals(2, c.restartCount());
    assertTrue(h.kubelet.eventsOf(h.pod("crash").uid()).size() >= eventsBefore);
    h.advance(Duration.ofSeconds(19));
    assertTrue(h.runtime.running("c").isEmpty());
    h.advance(Duration.ofSeconds(1));
    assertEquals(3, h.container("crash", "c").restartCount());
  }

  @Test
  void aDeletionThatACrashInterrupted_isFinishedByTheNextDaemon() throws Exception {
    h.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: c, image: busybox, command: [s]}]
        """);
    h.runtime.failAlways("removePodSandbox", new io.peapod.base.error.InternalException("power cut", null));
    h.kubelet.delete("default", "p", Optional.empty(), false, false);
    assertFalse(h.kubelet.list(Optional.empty()).isEmpty(), "the deletion did not finish");
    assertEquals("Terminating", h.pod("p").status());
    h.kubelet.close();
    h.runtime.clearFailures();
    h.restart();
    assertTrue(h.kubelet.list(Optional.empty()).isEmpty(), "the next daemon finished it");
    assertTrue(h.runtime.sandboxes().isEmpty());
  }

  @Test
  void staticPods_startWithTheirFile_cannotBeDeletedThroughTheApi_andGoWithTheFile() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("manifests"));
    h.restart();
    Files.writeString(dir.resolve("web.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: c, image: busybox, command: [s]}]
        """);
    h.advance(Duration.ofSeconds(20));
    PodView p = h.pod("web-node");
    assertEquals(dir.resolve("web.yaml").toString(), p.source());
    assertTrue(h.runtime.running("c").isPresent());
    FailedPreconditionException refused = org.junit.jupiter.api.Assertions.assertThrows(
        FailedPreconditionException.class, () -> h.kubelet.delete("default", "web-node", Optional.empty(), false, true));
    assertTrue(refused.getMessage().contains("static pod"), refused.getMessage());
    Files.writeString(dir.resolve("web.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: c, image: busybox, command: [s, changed]}]
        """);
    h.advance(Duration.ofSeconds(20));
    h.advance(Duration.ofSeconds(2));
    assertTrue(!h.pod("web-node").uid().equals(p.uid()), "a changed file replaces the pod");
    Files.delete(dir.resolve("web.yaml"));
    h.advance(Duration.ofSeconds(20));
    assertTrue(h.kubelet.list(Optional.empty()).isEmpty(), "a removed file deletes the pod");
  }
}
