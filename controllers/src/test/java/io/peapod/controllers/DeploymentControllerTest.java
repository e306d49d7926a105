package io.peapod.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.pods.PodInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentControllerTest {
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

  static String deployment(String name, int replicas, String image, String strategy) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, labels: {app: %s}}
        spec:
          replicas: %d
          %s
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers: [{name: c, image: %s, command: [sleep, '3600']}]
        """.formatted(name, name, replicas, strategy, name, name, image);
  }

  private List<PodInfo> live(String name) {
    return h.podsOf(Kind.DEPLOYMENT, name).stream().filter(p -> !p.deleting()).toList();
  }

  /// What the kubelet does between syncs: new pods become ready, deleted ones end.
  private void kubeletStep() {
    h.allPods().stream().filter(p -> !p.deleting() && !p.ready()).forEach(h.pods::ready);
    h.pods.finishDeletions();
    h.settle();
  }

  @Test
  void keepsReplicas_replacesDeletedPods_scales() {
    h.apply(deployment("web", 3, "busybox:1", ""));
    List<PodInfo> pods = live("web");
    assertEquals(3, pods.size());
    Workload rs = h.all(Kind.REPLICA_SET).getFirst();
    String hash = rs.labels().get("pod-template-hash");
    assertEquals("web-" + hash, rs.name());
    pods.forEach(p -> assertTrue(p.name().matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}"), p.name()));
    pods.forEach(h.pods::ready);
    h.pods.remove(pods.getFirst());
    h.settle();
    assertEquals(3, live("web").size(), "a pod deleted by hand is replaced");
    h.controllers.scale(Kind.DEPLOYMENT, "default", "web", 5);
    h.settle();
    assertEquals(5, live("web").size());
    h.controllers.scale(Kind.DEPLOYMENT, "default", "web", 1);
    h.settle();
    assertEquals(1, live("web").size());
    assertEquals(1, h.all(Kind.REPLICA_SET).size(), "scaling makes no new revision");
  }

  @Test
  void rollingUpdate_staysWithinSurgeAndUnavailability() {
    String strategy = "strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}";
    h.apply(deployment("web", 4, "busybox:1", strategy));
    kubeletStep();
    kubeletStep();
    Set<String> oldPods = live("web").stream().map(PodInfo::name).collect(Collectors.toSet());
    assertEquals("configured", h.apply(deployment("web", 4, "busybox:2", strategy)));
    for (int step = 0; step < 20; step++) {
      List<PodInfo> all = h.podsOf(Kind.DEPLOYMENT, "web");
      long ready = all.stream().filter(p -> p.ready() && !p.deleting()).count();
      assertTrue(ready >= 3, "step " + step + ": " + ready + " ready pods, below replicas - maxUnavailable");
      long counted = all.stream().filter(p -> !p.deleting()).count();
      assertTrue(counted <= 5, "step " + step + ": " + counted + " pods, above replicas + maxSurge");
      kubeletStep();
    }
    List<PodInfo> now = live("web");
    assertEquals(4, now.size());
    assertTrue(now.stream().noneMatch(p -> oldPods.contains(p.name())), "every pod was replaced");
    List<Workload> sets = h.all(Kind.REPLICA_SET);
    assertEquals(2, sets.size());
    Workload d = h.get(Kind.DEPLOYMENT, "web");
    assertEquals(4, ((Number) d.status().get("updatedReplicas")).intValue(), d.status().toString());
    assertEquals(4, ((Number) d.status().get("availableReplicas")).intValue());
    assertEquals("2", d.status().get("revision"));
  }

  @Test
  void recreate_removesOldPodsBeforeMakingNew() {
    h.apply(deployment("db", 2, "busybox:1", "strategy: {type: Recreate}"));
    kubeletStep();
    h.apply(deployment("db", 2, "busybox:2", "strategy: {type: Recreate}"));
    Workload newRs = h.all(Kind.REPLICA_SET).stream().filter(rs -> rs.annotations()
        .get("deployment.kubernetes.io/revision").equals("2")).findFirst().orElseThrow();
    assertTrue(h.controllers.podsOf(newRs).isEmpty(), "no new pod while old ones are still ending");
    kubeletStep();
    kubeletStep();
    assertEquals(2, h.controllers.podsOf(newRs).stream().filter(p -> !p.deleting()).count());
  }

  @Test
  void rolloutUndo_bringsBackThePreviousTemplateAsANewRevision() {
    h.apply(deployment("web", 1, "busybox:1", ""));
    kubeletStep();
    h.apply(deployment("web", 1, "busybox:2", ""));
    for (int i = 0; i < 5; i++) {
      kubeletStep();
    }
    h.controllers.undo("default", "web", 0);
    for (int i = 0; i < 5; i++) {
      kubeletStep();
    }
    Workload d = h.get(Kind.DEPLOYMENT, "web");
    assertEquals("3", d.status().get("revision"), d.status().toString());
    assertTrue(d.object().toString().contains("busybox:1"));
    assertEquals(2, h.all(Kind.REPLICA_SET).size(), "revision 1 became revision 3: no third ReplicaSet");
  }

  @Test
  void deletingTheDeployment_deletesItsReplicaSetsAndPods() {
    h.apply(deployment("web", 2, "busybox:1", ""));
    h.controllers.delete(Kind.DEPLOYMENT, "default", "web", Controllers.Cascade.BACKGROUND);
    assertTrue(h.all(Kind.REPLICA_SET).isEmpty());
    assertTrue(h.allPods().stream().allMatch(PodInfo::deleting));
  }

  @Test
  void foregroundDeletion_endsOnceThePodsAreGone_withoutReplacingThem() {
    h.apply(deployment("web", 2, "busybox:1", ""));
    h.controllers.delete(Kind.DEPLOYMENT, "default", "web", Controllers.Cascade.FOREGROUND);
    h.controllers.resyncNow();
    h.settle();
    assertTrue(h.allPods().stream().allMatch(PodInfo::deleting), "no replacement is made");
    assertEquals(2, h.allPods().size());
    h.pods.finishDeletions();
    for (int i = 0; i < 3; i++) {
      h.controllers.resyncNow();
      h.settle();
    }
    assertTrue(h.all(Kind.REPLICA_SET).isEmpty());
    assertTrue(h.all(Kind.DEPLOYMENT).isEmpty());
    assertTrue(h.allPods().isEmpty());
  }

  @Test
  void orphanedReplicaSet_isAdoptedWhenTheDeploymentComesBack() {
    h.apply(deployment("web", 2, "busybox:1", ""));
    List<String> before = live("web").stream().map(PodInfo::name).sorted().toList();
    h.controllers.delete(Kind.DEPLOYMENT, "default", "web", Controllers.Cascade.ORPHAN);
    assertTrue(h.all(Kind.REPLICA_SET).getFirst().controller().isEmpty());
    h.apply(deployment("web", 2, "busybox:1", ""));
    assertEquals(1, h.all(Kind.REPLICA_SET).size());
    assertEquals(before, live("web").stream().map(PodInfo::name).sorted().toList(), "the same pods run on");
  }

  @Test
  void rolloutContinuesAfterRestart() {
    String strategy = "strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}";
    h.apply(deployment("web", 3, "busybox:1", strategy));
    kubeletStep();
    h.apply(deployment("web", 3, "busybox:2", strategy));
    kubeletStep();
    h.restart();
    for (int i = 0; i < 10; i++) {
      kubeletStep();
    }
    Workload d = h.get(Kind.DEPLOYMENT, "web");
    assertEquals(3, ((Number) d.status().get("updatedReplicas")).intValue(), d.status().toString());
    assertEquals(3, ((Number) d.status().get("replicas")).intValue());
  }
}
