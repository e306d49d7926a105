package io.peapod.kubelet.sync;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.concurrent.Timers;
import java.lang.System.Logger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/// kubelet's pod workers: each pod's syncs run one at a time, in the order asked, on the executor
/// (virtual threads in the daemon), while different pods sync side by side. Asking for a sync of a pod
/// whose sync is running makes one more run after it, however many times it is asked; so a sync never
/// misses a change and never runs twice at once. A sync can also be asked for at a time (the end of a
/// back-off); only the earliest pending time per pod is kept.
final class PodWorkers {
  private static final Logger LOG = System.getLogger(PodWorkers.class.getName());

  private static final class Worker {
    boolean running;
    boolean again;
    Instant wakeAt;
    Timers.Cancellable timer = () -> { };
  }

  private final Executor executor;
  private final Timers timers;
  private final InstantSource clock;
  private final Consumer<String> sync;
  private final Map<String, Worker> workers = new HashMap<>();
  private boolean closed;
  /// Spaces out new tries of a pod whose sync failed with an error nothing else reported.
  private final BackOff failures;

  PodWorkers(Executor executor, Timers timers, InstantSource clock, Consumer<String> sync) {
    this.executor = executor;
    this.timers = timers;
    this.clock = clock;
    this.sync = sync;
    this.failures = new BackOff(Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
  }

  /// Syncs the pod soon.
  void signal(String podUid) {
    synchronized (this) {
      if (closed) {
        return;
      }
      Worker w = workers.computeIfAbsent(podUid, k -> new Worker());
      if (w.running) {
        w.again = true;
        return;
      }
      w.running = true;
    }
    executor.execute(() -> run(podUid));
  }

  /// Syncs the pod at `at` (or earlier, if something else asks first).
  void signalAt(String podUid, Instant at) {
    synchronized (this) {
      if (closed) {
        return;
      }
      Worker w = workers.computeIfAbsent(podUid, k -> new Worker());
      if (w.wakeAt != null && !w.wakeAt.isAfter(at) && w.wakeAt.isAfter(clock.instant())) {
        return;
      }
      w.timer.cancel();
      w.wakeAt = at;
      Duration delay = Duration.between(clock.instant(), at);
      w.timer = timers.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> signal(podUid));
    }
  }

  private void run(String podUid) {
    while (true) {
      try {
        sync.accept(podUid);
        failures.reset(podUid);
      } catch (RuntimeException e) {
        Duration wait = failures.failed(podUid);
        LOG.log(Logger.Level.ERROR, "sync of pod " + podUid + " failed; trying again in " + wait.toSeconds() + " s", e);
        signalAt(podUid, clock.instant().plus(wait));
      }
      synchronized (this) {
        Worker w = workers.get(podUid);
        if (w == null) {
          return;
        }
        if (!w.again) {
          w.running = false;
          return;
        }
        w.again = false;
      }
    }
  }

  /// Stops every worker: pending timers are cancelled and no sync starts any more.
  synchronized void close() {
    closed = true;
    workers.values().forEach(w -> w.timer.cancel());
    workers.clear();
  }

  /// Drops a deleted pod's worker (a sync already running finishes).
  synchronized void forget(String podUid) {
    Worker w = workers.remove(podUid);
    if (w != null) {
      w.timer.cancel();
    }
    failures.reset(podUid);
  }
}
