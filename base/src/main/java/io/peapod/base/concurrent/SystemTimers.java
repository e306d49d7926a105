package io.peapod.base.concurrent;

import java.lang.System.Logger;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/// [Timers] on one daemon platform thread. A task that throws is logged and does not stop the others.
public final class SystemTimers implements Timers, AutoCloseable {
  private static final Logger LOG = System.getLogger(SystemTimers.class.getName());
  private final ScheduledExecutorService executor;

  public SystemTimers(String name) {
    this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name).factory());
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Logger.Level.ERROR, "timer task failed", e);
      }
    }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
