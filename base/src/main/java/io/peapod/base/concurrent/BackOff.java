package io.peapod.base.concurrent;

import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/// Exponential back-off per key, as kubelet keeps for image pulls and container creation: after a
/// failure the next try is allowed only after `initial`, doubling to at most `max`; a success resets it.
/// Keys are strings the caller composes (`<pod uid>/<container>|<image>`), so [#forget] can drop all
/// of one pod's by prefix.
public final class BackOff {
  private record Entry(Duration delay, Instant until) {}

  private final Duration initial;
  private final Duration max;
  private final InstantSource clock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  public BackOff(Duration initial, Duration max, InstantSource clock) {
    this.initial = initial;
    this.max = max;
    this.clock = clock;
  }

  public Duration initial() {
    return initial;
  }

  public Duration max() {
    return max;
  }

  /// When the key's back-off ends, if it is active.
  public java.util.Optional<Instant> until(String key) {
    Entry e = entries.get(key);
    return e != null && clock.instant().isBefore(e.until()) ? java.util.Optional.of(e.until())
        : java.util.Optional.empty();
  }

  public boolean active(String key) {
    Entry e = entries.get(key);
    return e != null && clock.instant().isBefore(e.until());
  }

  /// Records a failure and returns how long until the next attempt.
  public Duration failed(String key) {
    Entry e = entries.compute(key, (k, old) -> {
      Duration d = old == null ? initial : old.delay().multipliedBy(2);
      d = d.compareTo(max) > 0 ? max : d;
      return new Entry(d, clock.instant().plus(d));
    });
    return e.delay();
  }

  public void reset(String key) {
    entries.remove(key);
  }

  /// Forgets every key that starts with `prefix` (a deleted pod's containers).
  public void forget(String prefix) {
    entries.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
