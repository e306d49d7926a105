package io.peapod.kubelet.event;

import io.peapod.state.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/// Events in the state database (table `events`), so they survive a restart; kept for an hour after
/// they were last seen, as the API server keeps them. An event whose pod, reason and message equal the
/// last one recorded for that pod is counted, not repeated. Listeners hear of each change (`get events -w`).
public final class EventStore implements EventRecorder {
  private static final List<String> SCHEMA = List.of("""
      CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, namespace TEXT NOT NULL, pod TEXT NOT NULL,
        pod_uid TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
        count INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
      CREATE INDEX events_by_pod ON events(pod_uid);
      CREATE INDEX events_by_time ON events(last_seen)
      """);
  /// How long an event is kept after it was last seen (the API server's `--event-ttl`).
  public static final Duration TTL = Duration.ofHours(1);
  private static final int MAX_MESSAGE = 1024;
  private final Database db;
  private final InstantSource clock;
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

  public EventStore(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
    db.migrate("events", SCHEMA);
  }

  @Override
  public void record(PodRef pod, String type, String reason, String message) {
    String msg = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    Instant now = clock.instant();
    Event e = db.inTransaction(tx -> {
      Optional<Long> same = tx.queryOne("SELECT id FROM events WHERE pod_uid = ? AND reason = ? AND message = ? AND"
          + " type = ? ORDER BY id DESC LIMIT 1", r -> r.getLong(1), pod.uid(), reason, msg, type);
      long id;
      if (same.isPresent()) {
        id = same.get();
        tx.update("UPDATE events SET count = count + 1, last_seen = ? WHERE id = ?", Database.time(now), id);
      } else {
        tx.update("INSERT INTO events (namespace, pod, pod_uid, type, reason, message, count, first_seen, last_seen)"
            + " VALUES (?,?,?,?,?,?,1,?,?)", pod.namespace(), pod.name(), pod.uid(), type, reason, msg,
            Database.time(now), Database.time(now));
        id = tx.queryOne("SELECT last_insert_rowid()", r -> r.getLong(1)).orElseThrow();
      }
      return tx.queryOne("SELECT * FROM events WHERE id = ?", EventStore::row, id).orElseThrow();
    });
    listeners.forEach(l -> l.accept(e));
  }

  /// A pod's events, oldest first.
  public List<Event> ofPod(String podUid) {
    return db.query("SELECT * FROM events WHERE pod_uid = ? ORDER BY last_seen, id", EventStore::row, podUid);
  }

  /// All events, or one namespace's, oldest first.
  public List<Event> list(Optional<String> namespace) {
    return namespace.isPresent()
        ? db.query("SELECT * FROM events WHERE namespace = ? ORDER BY last_seen, id", EventStore::row, namespace.get())
        : db.query("SELECT * FROM events ORDER BY last_seen, id", EventStore::row);
  }

  /// Deletes events not seen for [#TTL]; returns how many.
  public int expire() {
    return db.update("DELETE FROM events WHERE last_seen < ?", Database.time(clock.instant().minus(TTL)));
  }

  public AutoCloseable subscribe(Consumer<Event> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private static Event row(ResultSet r) throws SQLException {
    return new Event(r.getLong("id"), r.getString("namespace"), r.getString("pod"), r.getString("pod_uid"),
        r.getString("type"), r.getString("reason"), r.getString("message"), r.getInt("count"),
        Instant.parse(r.getString("first_seen")), Instant.parse(r.getString("last_seen")));
  }
}
