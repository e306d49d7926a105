package io.peapod.controllers.job;

import io.peapod.controllers.loop.Controller;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadSpec.JobSpec;
import io.peapod.controllers.object.WorkloadStore;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.pods.Creator;
import io.peapod.controllers.pods.PodTemplates;
import io.peapod.controllers.pods.Pods;
import io.peapod.controllers.status.Conditions;
import java.lang.System.Logger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/// kubelet's Job controller on one node. Each sync counts the Job's pods, remembers the ones that
/// ended (so a pod deleted by hand still counts), then in order: ends a Job past its `backoffLimit`
/// (`BackoffLimitExceeded`) or its `activeDeadlineSeconds` (`DeadlineExceeded`), completes one with
/// enough successes, and otherwise makes pods up to `parallelism`, after the back-off that follows a
/// failure (base, doubling, at most 6 minutes). A finished Job is deleted `ttlSecondsAfterFinished`
/// later. Pods still being deleted count as running, so `parallelism` holds while they end.
public final class JobController implements Controller {
  public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  public static final String JOB_NAME = "batch.kubernetes.io/job-name";
  public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  private static final Logger LOG = System.getLogger(JobController.class.getName());
  private static final Duration MAX_BACK_OFF = Duration.ofMinutes(6);
  private final Creator creator;
  private final Pods pods;
  private final WorkloadStore store;
  private final InstantSource clock;
  private final Duration backOff;
  private final Consumer<Workload> deleteJob;

  public JobController(Creator creator, WorkloadStore store, InstantSource clock, Duration backOff,
      Consumer<Workload> deleteJob) {
    this.creator = creator;
    this.pods = creator.pods();
    this.store = store;
    this.clock = clock;
    this.backOff = backOff;
    this.deleteJob = deleteJob;
  }

  @Override
  public Optional<Duration> sync(Workload job) {
    JobSpec spec = (JobSpec) job.spec();
    Instant now = clock.instant();
    JobState s = JobState.of(job, pods.ownedBy(job), now);
    if (s.finished()) {
      deleteActive(s);
      s.publish(store);
      return ttl(job, spec, s, now);
    }
    int failures = s.failures(spec.template().pod().restartPolicy().equals("OnFailure"));
    if (failures > spec.backoffLimit()) {
      return finish(job, spec, s, now, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    }
    if (spec.suspend()) {
      deleteActive(s);
      s.suspended();
      s.conditions().set("Suspended", "True", "JobSuspended", "Job suspended", now);
      s.publish(store);
      return Optional.empty();
    }
    Instant started = s.startTime(now);
    Optional<Instant> deadline = spec.activeDeadlineSeconds().map(d -> started.plusSeconds(d));
    if (deadline.isPresent() && !now.isBefore(deadline.get())) {
      return finish(job, spec, s, now, "DeadlineExceeded", "Job was active longer than specified deadline");
    }
    if (s.complete(spec)) {
      deleteActive(s);
      s.conditions().set(Conditions.COMPLETE, "True", "CompletionsReached", "Reached expected number of succeeded pods",
          now);
      s.status().put("completionTime", now.toString());
      s.publish(store);
      LOG.log(Logger.Level.INFO, "job {0}/{1} completed", job.namespace(), job.name());
      return ttl(job, spec, s, now);
    }
    if (s.conditions().isTrue("Suspended")) {
      s.conditions().set("Suspended", "False", "JobResumed", "Job resumed", now);
    }
    trimToParallelism(spec, s);
    Optional<Instant> retryAt = s.lastFailure().map(t -> t.plus(backOffAfter(s.failedPods())));
    Optional<Duration> wake = deadline.map(d -> Duration.between(now, d));
    if (retryAt.isPresent() && now.isBefore(retryAt.get())) {
      wake = earliest(wake, Duration.between(now, retryAt.get()));
    } else {
      createPods(job, spec, s);
    }
    s.publish(store);
    return wake;
  }

  /// A lowered `parallelism` removes the newest pods beyond it.
  private void trimToParallelism(JobSpec spec, JobState s) {
    List<PodInfo> newestFirst = new ArrayList<>(s.active());
    newestFirst.sort(java.util.Comparator.comparing(PodInfo::created).reversed());
    for (int i = 0; i < s.running().size() - spec.parallelism() && i < newestFirst.size(); i++) {
      PodInfo p = newestFirst.get(i);
      pods.delete(p.namespace(), p.name());
      s.active().remove(p);
    }
  }

  /// The delay before a replacement after `failed` failed pods: the base, doubled per further failure.
  private Duration backOffAfter(int failed) {
    if (failed == 0) {
      return Duration.ZERO;
    }
    Duration d = backOff.multipliedBy(1L << Math.min(failed - 1, 20));
    return d.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : d;
  }

  private void createPods(Workload job, JobSpec spec, JobState s) {
    int running = s.running().size();
    int want;
    List<Integer> indexes = new ArrayList<>();
    if (spec.indexed()) {
      TreeSet<Integer> pending = new TreeSet<>();
      for (int i = 0; i < spec.completions().orElseThrow(); i++) {
        pending.add(i);
      }
      pending.removeAll(s.completedIndexes());
      s.running().forEach(p -> JobState.index(p).ifPresent(pending::remove));
      want = Math.min(spec.parallelism() - running, pending.size());
      pending.stream().limit(Math.max(0, want)).forEach(indexes::add);
    } else if (spec.completions().isPresent()) {
      want = Math.min(spec.parallelism(), spec.completions().get() - s.succeeded()) - running;
    } else {
      want = s.succeeded() > 0 ? 0 : spec.parallelism() - running;
    }
    for (int i = 0; i < want; i++) {
      Optional<Integer> index = spec.indexed() ? Optional.of(indexes.get(i)) : Optional.empty();
      PodInfo p = create(job, spec, index);
      s.running().add(p);
      s.active().add(p);
    }
  }

  private PodInfo create(Workload job, JobSpec spec, Optional<Integer> index) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CONTROLLER_UID, job.uid());
    labels.put("controller-uid", job.uid());
    labels.put(JOB_NAME, job.name());
    labels.put("job-name", job.name());
    Map<String, String> annotations = new LinkedHashMap<>();
    Map<String, String> env = new LinkedHashMap<>();
    index.ifPresent(i -> {
      labels.put(COMPLETION_INDEX, String.valueOf(i));
      annotations.put(COMPLETION_INDEX, String.valueOf(i));
      env.put("JOB_COMPLETION_INDEX", String.valueOf(i));
    });
    return creator.create(job, job.name() + "-" + index.map(i -> i + "-").orElse(""), spec.template().raw(),
        new PodTemplates.Extras(labels, annotations, env, ""));
  }

  private Optional<Duration> finish(Workload job, JobSpec spec, JobState s, Instant now, String reason,
      String message) {
    deleteActive(s);
    s.conditions().set(Conditions.FAILED, "True", reason, message, now);
    s.publish(store);
    LOG.log(Logger.Level.INFO, "job {0}/{1} failed: {2}", job.namespace(), job.name(), reason);
    return ttl(job, spec, s, now);
  }

  private void deleteActive(JobState s) {
    for (PodInfo p : s.active()) {
      pods.delete(p.namespace(), p.name());
    }
  }

  /// Deletes a finished Job once its time-to-live is over; else says when to look again.
  private Optional<Duration> ttl(Workload job, JobSpec spec, JobState s, Instant now) {
    if (spec.ttlSecondsAfterFinished().isEmpty()) {
      return Optional.empty();
    }
    Instant finishedAt = s.conditions().transitionOf(Conditions.COMPLETE)
        .or(() -> s.conditions().transitionOf(Conditions.FAILED)).orElse(now);
    Instant expires = finishedAt.plusSeconds(spec.ttlSecondsAfterFinished().get());
    if (!now.isBefore(expires)) {
      LOG.log(Logger.Level.INFO, "job {0}/{1} finished {2} s ago; deleting it (ttlSecondsAfterFinished)",
          job.namespace(), job.name(), spec.ttlSecondsAfterFinished().get());
      deleteJob.accept(job);
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, expires));
  }

  private static Optional<Duration> earliest(Optional<Duration> a, Duration b) {
    return Optional.of(a.filter(x -> x.compareTo(b) < 0).orElse(b));
  }
}
