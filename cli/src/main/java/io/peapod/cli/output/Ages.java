package io.peapod.cli.output;

import java.time.Duration;
import java.time.Instant;

/// kubectl's short ages: `45s`, `3m12s` under ten minutes, `25m`, `5h`, `3d`.
public final class Ages {
  private Ages() {}

  public static String since(String isoInstant, Instant now) {
    if (isoInstant == null || isoInstant.isEmpty()) {
      return "<unknown>";
    }
    return since(Instant.parse(isoInstant), now);
  }

  public static String since(java.util.Optional<Instant> at, Instant now) {
    return at.map(t -> since(t, now)).orElse("<unknown>");
  }

  public static String since(Instant at, Instant now) {
    long s = Math.max(0, Duration.between(at, now).toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    if (s < 3600 * 3) {
      return (s / 60) + "m";
    }
    if (s < 86400 * 2) {
      return (s / 3600) + "h";
    }
    return (s / 86400) + "d";
  }
}
