package io.peapod.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.pod.ApplyResult;
import io.peapod.kubelet.pod.PodView;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `apply` of a pod that exists, as the API server allows it: images, the deadline and metadata change
/// in place (a container whose image changed is replaced, whatever the restart policy); any other
/// change is refused naming the field, and the pod is left as it was.
class PodUpdateTest {
  @TempDir
  Path tmp;
  private KubeletHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new KubeletHarness(tmp);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static String pod(String image, String command, String labels) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {%s}}
        spec:
          restartPolicy: Never
          containers:
          - {name: c, image: %s, command: [%s]}
          - {name: d, image: busybox, command: [sleep]}
        """.formatted(labels, image, command);
  }

  private ApplyResult apply(String yaml) {
    return h.kubelet.apply(yaml, "test.yaml");
  }

  @Test
  void imageChange_replacesOnlyThatContainer() {
    apply(pod("busybox:1", "sleep", "a: b"));
    String before = h.runtime.running("c").orElseThrow().id();
    String other = h.runtime.running("d").orElseThrow().id();
    ApplyResult r = apply(pod("busybox:2", "sleep", "a: b"));
    assertEquals("pod/web configured", r.results().getFirst());
    var now = h.runtime.running("c").orElseThrow();
    assertTrue(!now.id().equals(before), "a new instance of c runs");
    assertEquals("busybox:2", now.image());
    assertEquals(1, now.attempt());
    assertEquals(other, h.runtime.running("d").orElseThrow().id(), "d keeps running");
    assertEquals("unchanged", apply(pod("busybox:2", "sleep", "a: b")).objects().getFirst().action());
  }

  @Test
  void labelsChange_inPlace() {
    apply(pod("busybox", "sleep", "a: b"));
    apply(pod("busybox", "sleep", "a: c"));
    PodView p = h.pod("web");
    assertEquals("c", p.labels().get("a"));
    assertEquals(0, h.container("web", "c").restartCount());
  }

  @Test
  void otherChanges_refusedNamingTheField() {
    apply(pod("busybox", "sleep", "a: b"));
    String before = h.runtime.running("c").orElseThrow().id();
    var e = assertThrows(InvalidArgumentException.class, () -> apply(pod("busybox", "sh", "a: b")));
    assertTrue(e.getMessage().contains("The Pod \"web\" is invalid: spec.containers[0].command: Forbidden"),
        e.getMessage());
    assertEquals(before, h.runtime.running("c").orElseThrow().id(), "nothing changed");
  }
}
