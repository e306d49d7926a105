package io.peapod.controllers.loop;

import io.peapod.base.concurrent.Timers;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadStore;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;

/// A queue of workload uids, each synced by its kind's [Controller] one at a time (a uid queued twice
/// is synced once). After a sync whose status changed, the workload's owner is queued too: a
/// Deployment reads its ReplicaSets' status. A sync that fails is retried with a doubling delay.
/// [#resync] queues every workload, so nothing depends on an event having been seen. A sync holds the
/// write lock ([#locked]) that API changes to workloads hold too, so a controller never writes back a
/// copy of an object that an API call changed meanwhile. A workload whose foreground deletion has begun
/// is not synced: its dependents are going, and must not be made again.
public final class ControllerLoop implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ControllerLoop.class.getName());
  private static final Duration RETRY_MAX = Duration.ofMinutes(1);
  private final WorkloadStore store;
  private final Map<Kind, Controller> controllers = new java.util.EnumMap<>(Kind.class);
  private final Timers timers;
  private final SequencedSet<String> queue = new LinkedHashSet<>();
  private final Map<String, Duration> retries = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Timers.Cancellable> wakeUps = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.locks.ReentrantLock writes = new java.util.concurrent.locks.ReentrantLock();
  private Thread worker;
  private volatile boolean closed;

  public ControllerLoop(WorkloadStore store, Timers timers) {
    this.store = store;
    this.timers = timers;
  }

  /// Names the controller of a kind; every kind is registered before [#start].
  public void register(Kind kind, Controller controller) {
    controllers.put(kind, controller);
  }

  /// Queues a workload for a sync.
  public void enqueue(String uid) {
    synchronized (queue) {
      queue.add(uid);
      queue.notifyAll();
    }
  }

  /// Queues a workload after `delay`; a later request for the same workload replaces an earlier one.
  public void enqueueAfter(String uid, Duration delay) {
    Timers.Cancellable previous = wakeUps.put(uid, timers.schedule(delay, () -> {
      wakeUps.remove(uid);
      enqueue(uid);
    }));
    if (previous != null) {
      previous.cancel();
    }
  }

  /// Queues every workload.
  public void resync() {
    store.uids().forEach(this::enqueue);
  }

  /// Syncs on a thread of its own until closed.
  public void start() {
    worker = Thread.ofPlatform().name("controllers").daemon().start(() -> {
      while (!closed) {
        Optional<String> next = take();
        try {
          next.ifPresent(this::syncOne);
        } catch (RuntimeException e) {
          LOG.log(Logger.Level.ERROR, "controller loop: sync of " + next.orElse("") + " failed", e);
        }
      }
    });
  }

  /// Syncs queued workloads on the calling thread until the queue is empty (tests).
  public void drain() {
    for (int i = 0; i < 10_000; i++) {
      String uid;
      synchronized (queue) {
        if (queue.isEmpty()) {
          return;
        }
        uid = queue.removeFirst();
      }
      syncOne(uid);
    }
    throw new IllegalStateException("the controller queue does not drain: a sync keeps queueing itself");
  }

  private Optional<String> take() {
    synchronized (queue) {
      while (queue.isEmpty() && !closed) {
        try {
          queue.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
      return closed ? Optional.empty() : Optional.of(queue.removeFirst());
    }
  }

  /// Runs `work` holding the lock every sync holds.
  public <T> T locked(java.util.function.Supplier<T> work) {
    writes.lock();
    try {
      return work.get();
    } finally {
      writes.unlock();
    }
  }

  private void syncOne(String uid) {
    locked(() -> {
      syncLocked(uid);
      return null;
    });
  }

  private void syncLocked(String uid) {
    Optional<Workload> w;
    try {
      w = store.byUid(uid);
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.WARNING, "reading workload " + uid + " failed; retrying", e);
      enqueueAfter(uid, RETRY_MAX);
      return;
    }
    if (w.isEmpty() || w.get().deletion().isPresent()) {
      return;
    }
    try {
      Optional<Duration> again = controllers.get(w.get().kind()).sync(w.get());
      retries.remove(uid);
      again.ifPresent(d -> enqueueAfter(uid, d));
      Optional<Workload> after = store.byUid(uid);
      if (after.isPresent() && !after.get().status().equals(w.get().status())) {
        after.get().controller().ifPresent(o -> enqueue(o.uid()));
      }
    } catch (RuntimeException e) {
      Duration delay = retries.merge(uid, Duration.ofSeconds(1), (a, b) -> a.multipliedBy(2).compareTo(RETRY_MAX) > 0
          ? RETRY_MAX : a.multipliedBy(2));
      LOG.log(Logger.Level.WARNING, "sync of " + w.get().ref() + " failed; retrying in " + delay.toSeconds() + " s",
          e);
      enqueueAfter(uid, delay);
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (queue) {
      queue.notifyAll();
    }
    wakeUps.values().forEach(Timers.Cancellable::cancel);
    if (worker != null) {
      try {
        worker.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
