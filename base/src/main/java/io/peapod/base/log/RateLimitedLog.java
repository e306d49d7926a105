package io.peapod.base.log;

import java.lang.System.Logger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/// A log line that may happen in a storm (a failing accept loop, a client flooding the API) written at
/// most once per interval, with how many were held back since the last one; so the log stays readable
/// and the disk stays free whatever an attacker does.
public final class RateLimitedLog {
  private final Logger log;
  private final Duration interval;
  private final InstantSource clock;
  private final AtomicReference<Instant> last = new AtomicReference<>(Instant.MIN);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, Duration interval, InstantSource clock) {
    this.log = log;
    this.interval = interval;
    this.clock = clock;
  }

  public void log(Logger.Level level, String message) {
    Instant now = clock.instant();
    Instant before = last.get();
    if (before != Instant.MIN && now.isBefore(before.plus(interval)) || !last.compareAndSet(before, now)) {
      suppressed.incrementAndGet();
      return;
    }
    long held = suppressed.getAndSet(0);
    log.log(level, held == 0 ? message : message + " (" + held + " more like it in the last " + interval.toSeconds()
        + " s)");
  }
}
