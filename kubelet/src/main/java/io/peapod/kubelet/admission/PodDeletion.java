package io.peapod.kubelet.admission;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.UnavailableException;
import io.peapod.kubelet.pod.PodRecord;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.sync.PodChanges;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/// Asking for pods' deletion: the pod is marked (with the grace its containers get) and its worker
/// does the rest; a caller that waits is answered when the worker reports the pod gone.
public final class PodDeletion {
  private final PodStore store;
  private final PodChanges changes;
  private final InstantSource clock;
  private final Consumer<String> signal;
  private final Function<PodRecord, PodView> view;

  public PodDeletion(PodStore store, PodChanges changes, InstantSource clock, Consumer<String> signal,
      Function<PodRecord, PodView> view) {
    this.store = store;
    this.changes = changes;
    this.clock = clock;
    this.signal = signal;
    this.view = view;
  }

  /// What a deletion came to: the pod as it was, and what a forced one could not clean up.
  public record Deleted(PodView pod, List<String> leftovers) {}

  /// Marks the pod for deletion with `graceSeconds` (or its own grace; none when `force`); with `wait`,
  /// returns once it is gone, or fails after its grace and a minute more.
  public Deleted delete(PodRecord r, Optional<Long> graceSeconds, boolean force, boolean wait) {
    long grace = force ? 0 : graceSeconds.orElse(r.graceSeconds());
    PodView before = view.apply(r);
    CompletableFuture<List<String>> gone = new CompletableFuture<>();
    try (AutoCloseable sub = changes.subscribe(c -> {
      if (c.type() == PodChanges.Change.Type.DELETED && c.pod().uid().equals(r.uid())) {
        gone.complete(c.leftovers());
      }
    })) {
      if (!store.markDeleting(r.uid(), clock.instant(), grace, force)) {
        return new Deleted(before, List.of());
      }
      signal.accept(r.uid());
      if (!wait) {
        return new Deleted(before, List.of());
      }
      long timeout = grace + 60;
      try {
        return new Deleted(before, gone.get(timeout, TimeUnit.SECONDS));
      } catch (TimeoutException e) {
        throw new UnavailableException("pod " + r.namespace() + "/" + r.name() + " is still being deleted after "
            + timeout + " s; it goes on in the background (peapod describe pod " + r.name() + " says why)", e);
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new InternalException("wait for deletion of pod " + r.name(), e);
    }
  }

  /// Runs deletions side by side (the pods' containers wait out their grace periods together); the
  /// first failure is thrown once all have ended.
  public static void inParallel(List<Runnable> deletions) {
    RuntimeException first = null;
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = deletions.stream().<Future<?>>map(ex::submit).toList();
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          RuntimeException r = e.getCause() instanceof RuntimeException re ? re
              : new InternalException("delete: " + e.getCause(), e.getCause());
          first = first == null ? r : first;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InternalException("interrupted deleting pods", e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
