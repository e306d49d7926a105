package io.peapod.cri.mapping;

import java.time.Instant;
import java.util.Optional;

/// CRI's times: nanoseconds since the epoch in an int64, 0 for "not yet".
final class Times {
  private Times() {}

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static long nanos(Optional<Instant> t) {
    return t.map(Times::nanos).orElse(0L);
  }
}
