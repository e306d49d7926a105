package io.peapod.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.controllers.object.Kind;
import io.peapod.controllers.pods.PodInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatefulAndDaemonSetTest {
  @TempDir
  Path dir;
  ControllerHarness h;

  @BeforeEach
  void setUp() {
    h = new ControllerHarness(dir);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  static String sts(int replicas, String image, String extra) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: %d
          serviceName: db
          %s
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: c, image: %s}]
        """.formatted(replicas, extra, image);
  }

  private List<String> names() {
    return h.podsOf(Kind.STATEFUL_SET, "db").stream().filter(p -> !p.deleting()).map(PodInfo::name).toList();
  }

  private void readyAll() {
    h.allPods().stream().filter(p -> !p.deleting()).forEach(h.pods::ready);
    h.settle();
  }

  @Test
  void orderedReady_oneAtATimeUpAndDown() {
    h.apply(sts(3, "busybox:1", ""));
    assertEquals(List.of("db-0"), names(), "db-1 waits for db-0 to be ready");
    h.pods.running(h.allPods().getFirst());
    h.settle();
    assertEquals(List.of("db-0"), names(), "running is not ready");
    readyAll();
    assertEquals(List.of("db-0", "db-1"), names());
    readyAll();
    readyAll();
    assertEquals(List.of("db-0", "db-1", "db-2"), names());
    h.controllers.scale(Kind.STATEFUL_SET, "default", "db", 1);
    h.settle();
    assertEquals(List.of("db-0", "db-1"), names(), "the highest goes first");
    h.pods.finishDeletions();
    h.settle();
    assertEquals(List.of("db-0"), names());
  }

  @Test
  void deletedPod_comesBackUnderItsName_andTemplateChangeRollsFromTheTop() {
    h.apply(sts(2, "busybox:1", ""));
    readyAll();
    readyAll();
    PodInfo zero = h.allPods().getFirst();
    h.pods.remove(zero);
    h.settle();
    assertEquals(List.of("db-0", "db-1"), names());
    readyAll();
    h.apply(sts(2, "busybox:2", ""));
    assertEquals(List.of("db-0"), names(), "db-1 is replaced first");
    h.pods.finishDeletions();
    h.settle();
    assertEquals(List.of("db-0", "db-1"), names());
    readyAll();
    h.pods.finishDeletions();
    h.settle();
    readyAll();
    assertEquals(2, ((Number) h.get(Kind.STATEFUL_SET, "db").status().get("updatedReplicas")).intValue());
  }

  @Test
  void parallel_makesAllAtOnce() {
    h.apply(sts(3, "busybox:1", "podManagementPolicy: Parallel"));
    assertEquals(List.of("db-0", "db-1", "db-2"), names());
  }

  @Test
  void daemonSet_onePod_replacedOnTemplateChange() {
    String ds = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: c, image: %s}]
        """;
    h.apply(ds.formatted("busybox:1"));
    List<PodInfo> pods = h.podsOf(Kind.DAEMON_SET, "agent");
    assertEquals(1, pods.size());
    assertTrue(pods.getFirst().name().matches("agent-[a-z0-9]{5}"));
    h.apply(ds.formatted("busybox:2"));
    assertTrue(h.podsOf(Kind.DAEMON_SET, "agent").getFirst().deleting());
    h.pods.finishDeletions();
    h.settle();
    List<PodInfo> after = h.podsOf(Kind.DAEMON_SET, "agent");
    assertEquals(1, after.size());
    assertFalse(after.getFirst().name().equals(pods.getFirst().name()));
  }
}
