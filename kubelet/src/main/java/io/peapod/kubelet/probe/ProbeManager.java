package io.peapod.kubelet.probe;

import io.peapod.base.concurrent.Timers;
import io.peapod.kubelet.event.EventRecorder;
import io.peapod.kubelet.event.EventRecorder.PodRef;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.Probe;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/// Runs the probes of running containers, as kubelet's prober manager: one worker per container and
/// probe, each on its own period after its initial delay. Startup holds liveness and readiness until it
/// passes; readiness is false until it succeeds `successThreshold` times; liveness and startup fail
/// after `failureThreshold` failures in a row, which the pod's sync turns into a restart. Each failed
/// run is an `Unhealthy` event; each change of a result wakes the pod's sync.
public final class ProbeManager {
  /// What a worker checks.
  public enum Kind {
    LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

    private final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  /// A liveness or startup probe that failed for good: the container must be restarted.
  public record Failure(Kind kind, String message) {}

  /// What is known of one container: startup passed, ready, and why it must be restarted (if it must).
  private static final class Health {
    volatile boolean started;
    volatile boolean ready;
    volatile Optional<Failure> failed = Optional.empty();
  }

  private final Prober prober;
  private final Timers timers;
  private final Executor executor;
  private final InstantSource clock;
  private final ProbeStates states;
  private final EventRecorder events;
  private volatile Consumer<String> onChange = uid -> { };
  private final Map<String, Health> health = new ConcurrentHashMap<>();
  /// Workers by container id.
  private final Map<String, List<Worker>> workers = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> containersByPod = new ConcurrentHashMap<>();

  public ProbeManager(Prober prober, Timers timers, Executor executor, InstantSource clock, ProbeStates states,
      EventRecorder events) {
    this.prober = prober;
    this.timers = timers;
    this.executor = executor;
    this.clock = clock;
    this.states = states;
    this.events = events;
  }

  /// From now on, calls `onChange` with the pod's uid whenever a result of one of its containers changes.
  public void onChange(Consumer<String> onChange) {
    this.onChange = onChange;
  }

  /// A running container instance whose probes should run.
  public record Running(String containerId, ContainerSpec spec, Instant startedAt) {}

  /// Keeps workers for exactly these running containers of the pod: new ones start, those of
  /// containers no longer running stop.
  public void sync(PodRef pod, String podIp, List<Running> running) {
    Set<String> now = ConcurrentHashMap.newKeySet();
    for (Running r : running) {
      now.add(r.containerId());
      if (workers.containsKey(r.containerId())) {
        continue;
      }
      Health h = health.computeIfAbsent(r.containerId(), id -> load(id, r.spec()));
      List<Worker> ws = new java.util.ArrayList<>();
      r.spec().startupProbe().filter(p -> !h.started).ifPresent(p -> ws.add(new Worker(pod, podIp, r, Kind.STARTUP, p)));
      r.spec().livenessProbe().ifPresent(p -> ws.add(new Worker(pod, podIp, r, Kind.LIVENESS, p)));
      r.spec().readinessProbe().ifPresent(p -> ws.add(new Worker(pod, podIp, r, Kind.READINESS, p)));
      workers.put(r.containerId(), ws);
      ws.forEach(Worker::scheduleFirst);
    }
    Set<String> before = containersByPod.put(pod.uid(), now);
    if (before != null) {
      before.stream().filter(id -> !now.contains(id)).forEach(this::stopContainer);
    }
  }

  private Health load(String containerId, ContainerSpec spec) {
    Health h = new Health();
    Optional<ProbeStates.Stored> stored = states.get(containerId);
    h.started = stored.map(ProbeStates.Stored::started).orElse(spec.startupProbe().isEmpty());
    h.ready = stored.map(ProbeStates.Stored::ready).orElse(spec.readinessProbe().isEmpty());
    return h;
  }

  /// Whether the container's startup probe has passed (true without one).
  public boolean started(String containerId) {
    Health h = health.get(containerId);
    return h != null && h.started;
  }

  /// Whether the container counts as ready: started, and its readiness probe passing (true without one).
  public boolean ready(String containerId) {
    Health h = health.get(containerId);
    return h != null && h.started && h.ready;
  }

  /// Why the container must be restarted, once its liveness or startup probe has failed for good.
  public Optional<Failure> failure(String containerId) {
    Health h = health.get(containerId);
    return h == null ? Optional.empty() : h.failed;
  }

  private void stopContainer(String containerId) {
    List<Worker> ws = workers.remove(containerId);
    if (ws != null) {
      ws.forEach(Worker::stop);
    }
    health.remove(containerId);
    states.forgetContainer(containerId);
  }

  public void stopPod(String podUid) {
    Set<String> ids = containersByPod.remove(podUid);
    if (ids != null) {
      ids.forEach(this::stopContainer);
    }
    states.forgetPod(podUid);
  }

  /// One probe of one container instance, run on its period until the container stops running.
  private final class Worker {
    private final PodRef pod;
    private final String podIp;
    private final Running container;
    private final Kind kind;
    private final Probe probe;
    private int successes;
    private int failures;
    private volatile boolean stopped;
    private volatile Timers.Cancellable next = () -> { };

    Worker(PodRef pod, String podIp, Running container, Kind kind, Probe probe) {
      this.pod = pod;
      this.podIp = podIp;
      this.container = container;
      this.kind = kind;
      this.probe = probe;
    }

    void scheduleFirst() {
      Instant first = container.startedAt().plusSeconds(probe.initialDelaySeconds());
      Duration delay = Duration.between(clock.instant(), first);
      schedule(delay.isNegative() ? Duration.ZERO : delay);
    }

    private void schedule(Duration delay) {
      if (!stopped) {
        next = timers.schedule(delay, () -> executor.execute(this::runOnce));
      }
    }

    void stop() {
      stopped = true;
      next.cancel();
    }

    private synchronized void runOnce() {
      if (stopped) {
        return;
      }
      Health h = health.get(container.containerId());
      if (h == null) {
        return;
      }
      if (kind != Kind.STARTUP && !h.started) {
        schedule(Duration.ofSeconds(probe.periodSeconds()));
        return;
      }
      ProbeOutcome o = prober.run(probe.handler(), new Prober.Target(container.containerId(), podIp, container.spec()),
          Duration.ofSeconds(probe.timeoutSeconds()));
      if (stopped) {
        return;
      }
      boolean changed = o.success() ? succeeded(h) : failed(h, o);
      if (changed) {
        states.put(pod.uid(), container.containerId(), new ProbeStates.Stored(h.started, h.ready));
        onChange.accept(pod.uid());
      }
      schedule(Duration.ofSeconds(probe.periodSeconds()));
    }

    private boolean succeeded(Health h) {
      failures = 0;
      successes++;
      if (successes < probe.successThreshold()) {
        return false;
      }
      return switch (kind) {
        case STARTUP -> {
          stop();
          boolean was = h.started;
          h.started = true;
          yield !was;
        }
        case READINESS -> {
          boolean was = h.ready;
          h.ready = true;
          yield !was;
        }
        case LIVENESS -> false;
      };
    }

    private boolean failed(Health h, ProbeOutcome o) {
      successes = 0;
      failures++;
      events.warning(pod, "Unhealthy", kind.word + " probe failed: " + o.message());
      if (failures < probe.failureThreshold()) {
        return false;
      }
      return switch (kind) {
        case READINESS -> {
          boolean was = h.ready;
          h.ready = false;
          yield was;
        }
        case LIVENESS, STARTUP -> {
          stop();
          h.failed = Optional.of(new Failure(kind, "Container " + container.spec().name() + " failed "
              + kind.word.toLowerCase(java.util.Locale.ROOT) + " probe, will be restarted"));
          yield true;
        }
      };
    }
  }
}
