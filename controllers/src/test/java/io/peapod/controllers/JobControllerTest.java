package io.peapod.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.NotFoundException;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.status.Conditions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobControllerTest {
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

  static String job(String name, String spec, String policy) {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s}
        spec:
          %s
          template:
            metadata: {labels: {app: work}}
            spec:
              restartPolicy: %s
              containers: [{name: c, image: busybox, command: [sh, -c, 'true']}]
        """.formatted(name, spec, policy);
  }

  private List<PodInfo> running(String job) {
    return h.podsOf(Kind.JOB, job).stream().filter(p -> !p.succeeded() && !p.failed()).toList();
  }

  @Test
  void completionsAndParallelism_neverMoreThanParallelismRunning() {
    h.apply(job("work", "completions: 5\n  parallelism: 2", "Never"));
    Workload job = h.get(Kind.JOB, "work");
    for (int round = 0; round < 10 && !Conditions.of(h.get(Kind.JOB, "work").status()).isTrue("Complete"); round++) {
      List<PodInfo> now = running("work");
      assertTrue(now.size() <= 2, "running " + now.size());
      now.forEach(h.pods::ready);
      h.pods.succeed(now.getFirst());
      h.settle();
    }
    Workload done = h.get(Kind.JOB, "work");
    assertTrue(Conditions.of(done.status()).isTrue(Conditions.COMPLETE), done.status().toString());
    assertEquals(5, ((Number) done.status().get("succeeded")).intValue());
    assertEquals(2, h.pods.peakRunning.get(job.uid()));
    assertEquals(5, h.podsOf(Kind.JOB, "work").size());
    for (PodInfo p : h.podsOf(Kind.JOB, "work")) {
      assertTrue(p.name().matches("work-[bcdfghjklmnpqrstvwxz2456789]{5}"), p.name());
      assertEquals("work", p.labels().get("job-name"));
      assertEquals("work", p.labels().get("batch.kubernetes.io/job-name"));
      assertEquals(job.uid(), p.labels().get("controller-uid"));
      assertEquals(job.uid(), p.labels().get("batch.kubernetes.io/controller-uid"));
      assertEquals("work", p.labels().get("app"));
    }
  }

  @Test
  void failingPods_backOffThenBackoffLimitExceeded() {
    h.apply(job("fail", "backoffLimit: 2", "Never"));
    fail1();
    assertEquals(1, h.podsOf(Kind.JOB, "fail").size(), "the replacement waits for the 10 s back-off");
    h.advance(Duration.ofSeconds(10));
    assertEquals(2, h.podsOf(Kind.JOB, "fail").size());
    fail1();
    h.advance(Duration.ofSeconds(10));
    assertEquals(2, h.podsOf(Kind.JOB, "fail").size(), "the second back-off is 20 s");
    h.advance(Duration.ofSeconds(10));
    assertEquals(3, h.podsOf(Kind.JOB, "fail").size());
    fail1();
    Workload w = h.get(Kind.JOB, "fail");
    Map<String, Object> failed = Conditions.of(w.status()).toList().stream()
        .filter(c -> c.get("type").equals("Failed")).findFirst().orElseThrow();
    assertEquals("BackoffLimitExceeded", failed.get("reason"));
    assertEquals(3, ((Number) w.status().get("failed")).intValue());
    h.advance(Duration.ofMinutes(10));
    assertEquals(3, h.podsOf(Kind.JOB, "fail").size(), "a failed job makes no more pods");
  }

  private void fail1() {
    running("fail").forEach(h.pods::fail);
    h.settle();
  }

  @Test
  void onFailure_restartsCountAsFailures() {
    h.apply(job("crash", "backoffLimit: 3", "OnFailure"));
    PodInfo p = running("crash").getFirst();
    for (int i = 0; i < 4; i++) {
      h.pods.restarted(p);
    }
    h.settle();
    assertTrue(Conditions.of(h.get(Kind.JOB, "crash").status()).isTrue(Conditions.FAILED));
    assertTrue(h.pods.owned(h.get(Kind.JOB, "crash").uid()).getFirst().deleting(), "its pod is deleted");
  }

  @Test
  void activeDeadline_failsTheJobAndDeletesItsPods() {
    h.apply(job("slow", "activeDeadlineSeconds: 30", "Never"));
    h.advance(Duration.ofSeconds(29));
    assertFalse(Conditions.of(h.get(Kind.JOB, "slow").status()).isTrue(Conditions.FAILED));
    h.advance(Duration.ofSeconds(1));
    Workload w = h.get(Kind.JOB, "slow");
    assertTrue(Conditions.of(w.status()).toList().stream().anyMatch(c -> "DeadlineExceeded".equals(c.get("reason"))));
    assertTrue(h.podsOf(Kind.JOB, "slow").stream().allMatch(PodInfo::deleting));
  }

  @Test
  void ttlAfterFinished_deletesJobAndPods() {
    h.apply(job("once", "ttlSecondsAfterFinished: 60", "Never"));
    h.pods.succeed(running("once").getFirst());
    h.settle();
    assertTrue(Conditions.of(h.get(Kind.JOB, "once").status()).isTrue(Conditions.COMPLETE));
    h.advance(Duration.ofSeconds(60));
    assertThrows(NotFoundException.class, () -> h.get(Kind.JOB, "once"));
    assertTrue(h.allPods().stream().allMatch(PodInfo::deleting), "its pods go with it");
  }

  @Test
  void indexed_eachIndexOnceWithItsEnvironment() {
    h.apply(job("idx", "completions: 3\n  parallelism: 3\n  completionMode: Indexed", "Never"));
    List<PodInfo> pods = running("idx");
    assertEquals(3, pods.size());
    for (PodInfo p : pods) {
      String index = p.annotations().get("batch.kubernetes.io/job-completion-index");
      assertTrue(p.name().startsWith("idx-" + index + "-"), p.name());
      Map<String, Object> spec = castMap(h.pods.object("default", p.name()).get("spec"));
      Map<String, Object> c = castMap(((List<?>) spec.get("containers")).getFirst());
      assertTrue(c.get("env").toString().contains("JOB_COMPLETION_INDEX, value=" + index)
          || c.get("env").toString().contains("value=" + index + ", name=JOB_COMPLETION_INDEX"), c.get("env").toString());
    }
    PodInfo index1 = pods.stream().filter(p -> p.name().startsWith("idx-1-")).findFirst().orElseThrow();
    h.pods.fail(index1);
    h.settle();
    h.advance(Duration.ofSeconds(10));
    assertTrue(running("idx").stream().anyMatch(p -> p.name().startsWith("idx-1-")), "index 1 runs again");
    running("idx").forEach(h.pods::succeed);
    h.settle();
    Workload w = h.get(Kind.JOB, "idx");
    assertEquals("0-2", w.status().get("completedIndexes"));
    assertTrue(Conditions.of(w.status()).isTrue(Conditions.COMPLETE));
  }

  @Test
  void parallelismHoldsAcrossRestartAndDeletingPodsStillCount() {
    h.apply(job("para", "completions: 4\n  parallelism: 2", "Never"));
    String uid = h.get(Kind.JOB, "para").uid();
    h.restart();
    assertEquals(2, running("para").size(), "the restarted controller counts the pods that exist");
    h.pods.delete("default", running("para").getFirst().name());
    h.settle();
    assertEquals(2, running("para").size(), "a pod still being deleted holds its place");
    h.pods.finishDeletions();
    h.settle();
    assertEquals(2, running("para").size());
    assertEquals(2, h.pods.peakRunning.get(uid));
  }

  @Test
  void suspendedJob_deletesItsPodsWithoutCountingFailures_andItsDeadlineStartsOnResume() {
    String suspended = job("sus", "suspend: true\n  backoffLimit: 0\n  activeDeadlineSeconds: 60", "Never");
    h.apply(job("sus", "backoffLimit: 0\n  activeDeadlineSeconds: 60", "Never"));
    PodInfo p = running("sus").getFirst();
    h.apply(suspended);
    assertTrue(h.pods.owned(h.get(Kind.JOB, "sus").uid()).getFirst().deleting());
    h.pods.fail(h.pods.owned(h.get(Kind.JOB, "sus").uid()).getFirst());
    h.settle();
    assertFalse(Conditions.of(h.get(Kind.JOB, "sus").status()).isTrue(Conditions.FAILED),
        "a pod killed by the suspension is no failure");
    h.pods.finishDeletions();
    h.advance(Duration.ofSeconds(120));
    h.apply(job("sus", "backoffLimit: 0\n  activeDeadlineSeconds: 60", "Never"));
    assertFalse(Conditions.of(h.get(Kind.JOB, "sus").status()).isTrue(Conditions.FAILED),
        "time suspended does not count toward the deadline");
    assertEquals(1, running("sus").size());
    assertFalse(running("sus").getFirst().name().equals(p.name()));
  }

  @Test
  void aPodFromAnotherNamespace_cannotCompleteTheJob() {
    h.apply(job("j", "", "Never"));
    Workload job = h.get(Kind.JOB, "j");
    PodInfo intruder = h.pods.create(Map.of("metadata", Map.of("name", "fake", "namespace", "scratch",
        "ownerReferences", List.of(job.asOwner().toMap()))));
    h.pods.succeed(intruder);
    h.settle();
    assertFalse(Conditions.of(h.get(Kind.JOB, "j").status()).isTrue(Conditions.COMPLETE));
  }

  @Test
  void deleteJob_cascadesOrOrphans() {
    h.apply(job("a", "parallelism: 2\n  completions: 2", "Never"));
    h.controllers.delete(Kind.JOB, "default", "a", Controllers.Cascade.BACKGROUND);
    assertTrue(h.allPods().stream().allMatch(PodInfo::deleting));
    h.pods.finishDeletions();
    h.apply(job("b", "", "Never"));
    h.controllers.delete(Kind.JOB, "default", "b", Controllers.Cascade.ORPHAN);
    h.settle();
    h.controllers.resyncNow();
    h.settle();
    PodInfo orphan = h.allPods().getFirst();
    assertFalse(orphan.deleting(), "--cascade=orphan keeps the pod");
    assertTrue(orphan.controller().isEmpty());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
