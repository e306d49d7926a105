package io.peapod.server.api;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.server.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Typed query parameters: a value that does not parse is a 400 naming the parameter and what it wants.
final class Params {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private final HttpRequest r;

  Params(HttpRequest r) {
    this.r = r;
  }

  Optional<String> text(String name) {
    return r.param(name);
  }

  Optional<Long> whole(String name, long min, long max) {
    Optional<String> v = r.param(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(v.get());
      if (n < min || n > max) {
        throw bad(name, v.get(), "a whole number from " + min + " to " + max);
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      throw bad(name, v.get(), "a whole number");
    }
  }

  boolean flag(String name) {
    Optional<String> v = r.param(name);
    if (v.isEmpty()) {
      return false;
    }
    return switch (v.get()) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw bad(name, v.get(), "true or false");
    };
  }

  /// `500ms`, `10s`, `2m`, `1h`.
  Optional<Duration> duration(String name) {
    Optional<String> v = r.param(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(v.get());
    if (!m.matches()) {
      throw bad(name, v.get(), "a duration like 500ms, 10s, 2m or 1h");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw bad(name, v.get(), "a duration that fits");
    }
    return Optional.of(switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(Math.min(n, Long.MAX_VALUE / 60));
      default -> Duration.ofHours(Math.min(n, Long.MAX_VALUE / 3600));
    });
  }

  /// An RFC 3339 time (`2026-12-03T10:00:00Z`).
  Optional<Instant> time(String name) {
    Optional<String> v = r.param(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(v.get()).toInstant());
    } catch (DateTimeParseException e) {
      throw bad(name, v.get(), "an RFC 3339 time like 2026-01-02T15:04:05Z");
    }
  }

  private static InvalidArgumentException bad(String name, String value, String want) {
    return new InvalidArgumentException("query parameter " + name + " '" + value + "' must be " + want);
  }
}
