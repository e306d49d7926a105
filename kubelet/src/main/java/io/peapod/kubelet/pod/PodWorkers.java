package io.peapod.kubelet.pod;

import java.lang.System.Logger;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/// Runs a pod's next sync later, at most one pending per pod: kubelet's pod workers, for the pods that
/// still have containers to create (an image to pull, a back-off to wait out). Syncs run on virtual
/// threads, so a slow pull delays only its own pod.
final class PodWorkers implements AutoCloseable {
  private static final Logger LOG = System.getLogger(PodWorkers.class.getName());
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("pod-resync").factory());
  private final ExecutorService syncs = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  /// Runs `sync` for the pod after `delay`, unless a sync of it is already pending.
  void schedule(String podUid, Duration delay, Runnable sync) {
    if (!pending.add(podUid)) {
      return;
    }
    timer.schedule(() -> syncs.submit(() -> {
      pending.remove(podUid);
      try {
        sync.run();
      } catch (RuntimeException e) {
        LOG.log(Logger.Level.WARNING, "sync of pod " + podUid + " failed", e);
      }
    }), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    syncs.shutdownNow();
  }
}
