package io.peapod.testing;

import io.peapod.base.concurrent.Timers;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/// A clock and timers that move only when a test says so: [#advance] moves time forward and runs every
/// task that falls due on the way, in time order, on the caller's thread (tasks may schedule more).
public final class ManualClock implements InstantSource, Timers {
  private record Task(Instant due, long seq, Runnable run, boolean[] cancelled) {}

  private Instant now;
  private long seq;
  private final List<Task> tasks = new ArrayList<>();

  public ManualClock(Instant start) {
    this.now = start;
  }

  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /// Moves time forward by `d`, running due tasks in order at their own times.
  public void advance(Duration d) {
    Instant end;
    synchronized (this) {
      end = now.plus(d);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> !t.due().isAfter(end))
            .min(Comparator.comparing(Task::due).thenComparingLong(Task::seq)).orElse(null);
        if (next == null) {
          now = end;
          return;
        }
        tasks.remove(next);
        if (next.due().isAfter(now)) {
          now = next.due();
        }
      }
      if (!next.cancelled()[0]) {
        next.run().run();
      }
    }
  }

  /// Runs what is due now without moving time.
  public void runDue() {
    advance(Duration.ZERO);
  }

  /// When the next pending task is due, if any.
  public synchronized java.util.Optional<Instant> nextDue() {
    return tasks.stream().filter(t -> !t.cancelled()[0]).map(Task::due).min(Comparator.naturalOrder());
  }
}
