package io.peapod.kubelet.pod;

import io.peapod.state.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// The `pods` table (owner `kubelet`): one row per pod from its acceptance until its deletion has
/// finished. v3 (`deletion`, `deletion_grace`, `deletion_force`, `source`, `status`) drops `sandbox_id`: the kubelet finds
/// a pod's sandboxes by the pod's uid, as kubelet does, so a crash between making a sandbox and noting it
/// loses nothing.
public final class PodStore {
  private static final List<String> SCHEMA = List.of("CREATE TABLE pods (uid TEXT PRIMARY KEY, namespace TEXT NOT NULL,"
      + " name TEXT NOT NULL, manifest TEXT NOT NULL, sandbox_id TEXT NOT NULL, created TEXT NOT NULL,"
      + " grace_seconds INTEGER NOT NULL, UNIQUE(namespace, name))",
      "ALTER TABLE pods ADD COLUMN document TEXT NOT NULL DEFAULT ''",
      """
      ALTER TABLE pods ADD COLUMN deletion TEXT;
      ALTER TABLE pods ADD COLUMN deletion_grace INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE pods ADD COLUMN source TEXT NOT NULL DEFAULT 'api';
      ALTER TABLE pods ADD COLUMN status TEXT NOT NULL DEFAULT '';
      ALTER TABLE pods ADD COLUMN deletion_force INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE pods DROP COLUMN sandbox_id
      """);

  private final Database db;

  public PodStore(Database db) {
    this.db = db;
    db.migrate("kubelet", SCHEMA);
  }

  public void insert(PodRecord r) {
    db.update("INSERT INTO pods (uid, namespace, name, manifest, created, grace_seconds, document, source, status)"
        + " VALUES (?,?,?,?,?,?,?,?,?)", r.uid(), r.namespace(), r.name(), r.manifest(), Database.time(r.created()),
        r.graceSeconds(), r.document(), r.source(), r.status().toJson());
  }

  public Optional<PodRecord> byUid(String uid) {
    return db.queryOne("SELECT * FROM pods WHERE uid = ?", PodStore::row, uid);
  }

  public Optional<PodRecord> find(String namespace, String name) {
    return db.queryOne("SELECT * FROM pods WHERE namespace = ? AND name = ?", PodStore::row, namespace, name);
  }

  public List<PodRecord> list(Optional<String> namespace) {
    return namespace.isPresent()
        ? db.query("SELECT * FROM pods WHERE namespace = ? ORDER BY name", PodStore::row, namespace.get())
        : db.query("SELECT * FROM pods ORDER BY namespace, name", PodStore::row);
  }

  /// Replaces the pod's validated spec and its document (an update `apply` allows).
  public void updateSpec(String uid, String manifest, String document) {
    db.update("UPDATE pods SET manifest = ?, document = ? WHERE uid = ?", manifest, document, uid);
  }

  /// Marks the pod for deletion with the grace period its containers get; `force` removes it even if
  /// something of it cannot be cleaned up. Returns false if it is gone.
  public boolean markDeleting(String uid, Instant at, long graceSeconds, boolean force) {
    return db.update("UPDATE pods SET deletion = COALESCE(deletion, ?), deletion_grace = ?, deletion_force = ?"
        + " WHERE uid = ?", Database.time(at), graceSeconds, force ? 1 : 0, uid) > 0;
  }

  /// Stores a new status; returns whether it differed from the stored one.
  public boolean updateStatus(String uid, StoredStatus status) {
    return db.update("UPDATE pods SET status = ? WHERE uid = ? AND status <> ?", status.toJson(), uid,
        status.toJson()) > 0;
  }

  public void delete(String uid) {
    db.update("DELETE FROM pods WHERE uid = ?", uid);
  }

  private static PodRecord row(ResultSet rs) throws SQLException {
    return new PodRecord(rs.getString("uid"), rs.getString("namespace"), rs.getString("name"),
        rs.getString("manifest"), rs.getString("document"), Instant.parse(rs.getString("created")),
        rs.getLong("grace_seconds"), Optional.ofNullable(rs.getString("deletion")).map(Instant::parse),
        rs.getLong("deletion_grace"), rs.getInt("deletion_force") == 1, rs.getString("source"),
        StoredStatus.fromJson(rs.getString("status")));
  }
}
