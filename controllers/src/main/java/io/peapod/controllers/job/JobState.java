package io.peapod.controllers.job;

import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadSpec.JobSpec;
import io.peapod.controllers.object.WorkloadStore;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/// One sync's view of a Job: its pods sorted by what they count for, what it remembers of pods that
/// ended (`tracking`: `succeeded` and `failed` pod uids, `completedIndexes`, `lastFailure`), and the
/// status being built. `running` is every pod not finished, `active` those of them not being deleted.
final class JobState {
  private final Workload job;
  private final Map<String, Object> status;
  private final Conditions conditions;
  private final Set<String> succeededUids;
  private final Set<String> failedUids;
  private final TreeSet<Integer> completedIndexes;
  private final List<PodInfo> running = new ArrayList<>();
  private final List<PodInfo> active = new ArrayList<>();
  private Optional<Instant> lastFailure;
  private Optional<Instant> startTime;

  private JobState(Workload job, Instant now) {
    this.job = job;
    this.status = new LinkedHashMap<>(job.status());
    this.conditions = Conditions.of(job.status());
    this.succeededUids = new LinkedHashSet<>(strings(job.tracking().get("succeeded")));
    this.failedUids = new LinkedHashSet<>(strings(job.tracking().get("failed")));
    this.completedIndexes = new TreeSet<>(strings(job.tracking().get("completedIndexes")).stream()
        .map(Integer::valueOf).toList());
    this.lastFailure = Optional.ofNullable((String) job.tracking().get("lastFailure")).map(Instant::parse);
    this.startTime = Optional.ofNullable((String) job.status().get("startTime")).map(Instant::parse);
  }

  static JobState of(Workload job, List<PodInfo> pods, Instant now) {
    JobState s = new JobState(job, now);
    for (PodInfo p : pods) {
      if (p.succeeded()) {
        s.succeededUids.add(p.uid());
        index(p).filter(i -> i < completions(job)).ifPresent(s.completedIndexes::add);
      } else if (p.failed()) {
        // A pod the Job (or a user) deleted ends killed; that is no failure of its work.
        if (!p.deleting() && s.failedUids.add(p.uid())) {
          s.lastFailure = Optional.of(now);
        }
      } else {
        s.running.add(p);
        if (!p.deleting()) {
          s.active.add(p);
        }
      }
    }
    return s;
  }

  private static int completions(Workload job) {
    return job.spec() instanceof JobSpec s ? s.completions().orElse(Integer.MAX_VALUE) : Integer.MAX_VALUE;
  }

  /// The completion index of an Indexed Job's pod.
  static Optional<Integer> index(PodInfo p) {
    String v = p.annotations().get(JobController.COMPLETION_INDEX);
    return v == null || !v.matches("\\d{1,9}") ? Optional.empty() : Optional.of(Integer.parseInt(v));
  }

  boolean finished() {
    return conditions.isTrue(Conditions.COMPLETE) || conditions.isTrue(Conditions.FAILED);
  }

  /// Failed pods, and with `restartPolicy: OnFailure` the restarts of the pods still running, as the
  /// Job controller counts retries.
  int failures(boolean onFailure) {
    int restarts = onFailure ? running.stream().mapToInt(PodInfo::restarts).sum() : 0;
    return failedUids.size() + restarts;
  }

  int failedPods() {
    return failedUids.size();
  }

  int succeeded() {
    return job.spec() instanceof JobSpec s && s.indexed() ? completedIndexes.size() : succeededUids.size();
  }

  boolean complete(JobSpec spec) {
    if (spec.completions().isPresent()) {
      return succeeded() >= spec.completions().get();
    }
    return !succeededUids.isEmpty() && running.isEmpty();
  }

  List<PodInfo> running() {
    return running;
  }

  List<PodInfo> active() {
    return active;
  }

  Set<Integer> completedIndexes() {
    return completedIndexes;
  }

  Optional<Instant> lastFailure() {
    return lastFailure;
  }

  /// When the Job (last) started running: set on the first sync that is not suspended, cleared by a
  /// suspension, as the deadline counts only time not suspended.
  Instant startTime(Instant now) {
    if (startTime.isEmpty()) {
      startTime = Optional.of(now);
    }
    return startTime.get();
  }

  void suspended() {
    startTime = Optional.empty();
  }

  Conditions conditions() {
    return conditions;
  }

  Map<String, Object> status() {
    return status;
  }

  /// Stores the status (`active`, `ready`, `succeeded`, `failed`, `terminating`, `startTime`,
  /// `completedIndexes`, `conditions`) and what the Job remembers.
  void publish(WorkloadStore store) {
    status.remove("startTime");
    startTime.ifPresent(t -> status.put("startTime", t.toString()));
    status.put("active", finished() ? 0 : active.size());
    status.put("ready", finished() ? 0 : (int) active.stream().filter(PodInfo::ready).count());
    status.put("succeeded", succeededUids.size());
    status.put("failed", failedUids.size());
    status.put("terminating", running.size() - active.size());
    if (job.spec() instanceof JobSpec s && s.indexed()) {
      status.put("completedIndexes", ranges(completedIndexes));
    }
    status.put("conditions", conditions.toList());
    Map<String, Object> tracking = new LinkedHashMap<>();
    tracking.put("succeeded", List.copyOf(succeededUids));
    tracking.put("failed", List.copyOf(failedUids));
    tracking.put("completedIndexes", completedIndexes.stream().map(String::valueOf).toList());
    lastFailure.ifPresent(t -> tracking.put("lastFailure", t.toString()));
    store.updateStatus(job.uid(), status, tracking);
  }

  /// `0-2,4`: the form `status.completedIndexes` takes.
  static String ranges(TreeSet<Integer> xs) {
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer prev = null;
    for (int x : xs) {
      if (prev != null && x == prev + 1) {
        prev = x;
        continue;
      }
      if (start != null) {
        parts.add(start.equals(prev) ? String.valueOf(start) : start + "-" + prev);
      }
      start = x;
      prev = x;
    }
    if (start != null) {
      parts.add(start.equals(prev) ? String.valueOf(start) : start + "-" + prev);
    }
    return String.join(",", parts);
  }

  private static List<String> strings(Object o) {
    return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }
}
