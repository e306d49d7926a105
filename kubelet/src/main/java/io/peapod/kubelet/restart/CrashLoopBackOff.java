package io.peapod.kubelet.restart;

import io.peapod.state.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// Kubelet's back-off for restarting a crashed container (its `flowcontrol.Backoff`, keyed by pod and
/// container): the first restart is immediate and sets the delay to `initial` (10 s); each later one
/// waits out the delay since the container finished, then doubles it, up to `max` (300 s). A container
/// that ran longer than twice `max` (10 minutes) before it ended starts over from `initial`. The state
/// is kept in the database (table `container_backoff`), so a restarted daemon keeps the delays.
public final class CrashLoopBackOff {
  private static final List<String> SCHEMA = List.of("CREATE TABLE container_backoff (pod_uid TEXT NOT NULL,"
      + " container TEXT NOT NULL, delay_ms INTEGER NOT NULL, last_update TEXT NOT NULL,"
      + " PRIMARY KEY (pod_uid, container))");

  private record Entry(Duration delay, Instant lastUpdate) {}

  private final Duration initial;
  private final Duration max;
  private final InstantSource clock;
  private final Database db;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public CrashLoopBackOff(Duration initial, Duration max, InstantSource clock, Database db) {
    this.initial = initial;
    this.max = max;
    this.clock = clock;
    this.db = db;
    db.migrate("container-backoff", SCHEMA);
  }

  /// When a restart of the container that finished at `finishedAt` may happen, if that is later than
  /// now (kubelet's IsInBackOffSince); empty when it may restart at once.
  public Optional<Instant> waitUntil(String podUid, String container, Instant finishedAt) {
    Optional<Entry> e = entry(podUid, container);
    Instant now = clock.instant();
    if (e.isEmpty() || expired(now, e.get().lastUpdate())) {
      return Optional.empty();
    }
    Instant until = finishedAt.plus(e.get().delay());
    return now.isBefore(until) ? Optional.of(until) : Optional.empty();
  }

  /// The delay the next restart waits for, as [#waitUntil] uses it (for messages).
  public Duration delay(String podUid, String container) {
    return entry(podUid, container).map(Entry::delay).orElse(initial);
  }

  /// Records a restart of the container that finished at `finishedAt` (kubelet's Next).
  public void restarting(String podUid, String container, Instant finishedAt) {
    Optional<Entry> e = entry(podUid, container);
    Duration delay;
    if (e.isEmpty() || expired(finishedAt, e.get().lastUpdate())) {
      delay = initial;
    } else {
      Duration doubled = e.get().delay().multipliedBy(2);
      delay = doubled.compareTo(max) > 0 ? max : doubled;
    }
    Entry next = new Entry(delay, clock.instant());
    cache.put(key(podUid, container), next);
    db.update("INSERT INTO container_backoff VALUES (?,?,?,?) ON CONFLICT(pod_uid, container) DO UPDATE SET"
        + " delay_ms = excluded.delay_ms, last_update = excluded.last_update", podUid, container, delay.toMillis(),
        Database.time(next.lastUpdate()));
  }

  /// Drops a deleted pod's back-offs.
  public void forget(String podUid) {
    cache.keySet().removeIf(k -> k.startsWith(podUid + "/"));
    db.update("DELETE FROM container_backoff WHERE pod_uid = ?", podUid);
  }

  private boolean expired(Instant eventTime, Instant lastUpdate) {
    return Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
  }

  private Optional<Entry> entry(String podUid, String container) {
    String key = key(podUid, container);
    Entry cached = cache.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Entry> stored = db.queryOne("SELECT delay_ms, last_update FROM container_backoff WHERE pod_uid = ? AND"
        + " container = ?", r -> new Entry(Duration.ofMillis(r.getLong(1)), Instant.parse(r.getString(2))), podUid,
        container);
    stored.ifPresent(e -> cache.put(key, e));
    return stored;
  }

  private static String key(String podUid, String container) {
    return podUid + "/" + container;
  }
}
