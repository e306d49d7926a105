package io.peapod.kubelet.probe;

import io.peapod.state.Database;
import java.util.List;
import java.util.Optional;

/// The probe results that must survive a daemon restart (table `probe_state`): whether a container's
/// startup probe has passed, so liveness is not held again, and whether it was ready, so READY does not
/// drop to 0 while the first probe after a restart is still due.
public final class ProbeStates {
  private static final List<String> SCHEMA = List.of("CREATE TABLE probe_state (container_id TEXT PRIMARY KEY,"
      + " pod_uid TEXT NOT NULL, started INTEGER NOT NULL, ready INTEGER NOT NULL)");

  /// What was stored for one container.
  public record Stored(boolean started, boolean ready) {}

  private final Database db;

  public ProbeStates(Database db) {
    this.db = db;
    db.migrate("probes", SCHEMA);
  }

  Optional<Stored> get(String containerId) {
    return db.queryOne("SELECT started, ready FROM probe_state WHERE container_id = ?",
        r -> new Stored(r.getInt(1) == 1, r.getInt(2) == 1), containerId);
  }

  void put(String podUid, String containerId, Stored s) {
    db.update("INSERT INTO probe_state VALUES (?,?,?,?) ON CONFLICT(container_id) DO UPDATE SET started ="
        + " excluded.started, ready = excluded.ready", containerId, podUid, s.started() ? 1 : 0, s.ready() ? 1 : 0);
  }

  void forgetContainer(String containerId) {
    db.update("DELETE FROM probe_state WHERE container_id = ?", containerId);
  }

  void forgetPod(String podUid) {
    db.update("DELETE FROM probe_state WHERE pod_uid = ?", podUid);
  }
}
