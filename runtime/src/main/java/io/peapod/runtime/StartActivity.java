package io.peapod.runtime;

import java.time.Duration;
import java.util.function.Supplier;

/// Whether a pod is being started: sandbox runs, container creates and starts under way, and when the
/// last one ended.
/// Background work that would compete with a start for the CPU (the sandbox pool making its next
/// sandbox) waits until starts have been quiet for a moment.
public final class StartActivity {
  private int running;
  private long lastEnd = System.nanoTime();

  /// Runs `work` counted as start activity.
  public <T> T during(Supplier<T> work) {
    synchronized (this) {
      running++;
    }
    try {
      return work.get();
    } finally {
      synchronized (this) {
        running--;
        lastEnd = System.nanoTime();
        notifyAll();
      }
    }
  }

  /// Returns once nothing has started for `quiet`; false if interrupted first.
  public synchronized boolean awaitQuiet(Duration quiet) {
    long q = quiet.toNanos();
    try {
      while (true) {
        if (running > 0) {
          wait();
          continue;
        }
        long left = q - (System.nanoTime() - lastEnd);
        if (left <= 0) {
          return true;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
