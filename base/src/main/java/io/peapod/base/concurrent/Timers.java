package io.peapod.base.concurrent;

import java.time.Duration;

/// Runs short tasks later (a back-off's end, a probe's next period). The daemon's [SystemTimers] uses
/// one platform thread; tests use a manual implementation that runs tasks as they advance a clock, so
/// timing logic is tested without sleeping.
public interface Timers {
  /// Runs `task` once after `delay`. Tasks must be short: they signal work, they do not do it.
  Cancellable schedule(Duration delay, Runnable task);

  /// A scheduled task that has not run yet can be cancelled; cancelling after it ran does nothing.
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
