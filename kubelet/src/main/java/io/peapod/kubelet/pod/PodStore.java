package io.peapod.kubelet.pod;

import io.peapod.state.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// The kubelet's record of each pod: identity, its validated spec (`manifest`, compared on re-apply), the
/// YAML document it came from (read again to finish the pod after a restart), its sandbox.
final class PodStore {
  private static final List<String> SCHEMA = List.of("CREATE TABLE pods (uid TEXT PRIMARY KEY, namespace TEXT NOT NULL,"
      + " name TEXT NOT NULL, manifest TEXT NOT NULL, sandbox_id TEXT NOT NULL, created TEXT NOT NULL,"
      + " grace_seconds INTEGER NOT NULL, UNIQUE(namespace, name))",
      "ALTER TABLE pods ADD COLUMN document TEXT NOT NULL DEFAULT ''");

  record PodRow(String uid, String namespace, String name, String manifest, String sandboxId, Instant created,
      long graceSeconds, String document) {}

  private final Database db;

  PodStore(Database db) {
    this.db = db;
    db.migrate("kubelet", SCHEMA);
  }

  void insert(PodRow r) {
    db.update("INSERT INTO pods (uid, namespace, name, manifest, sandbox_id, created, grace_seconds, document)"
        + " VALUES (?,?,?,?,?,?,?,?)", r.uid(), r.namespace(), r.name(), r.manifest(), r.sandboxId(),
        r.created().toString(), r.graceSeconds(), r.document());
  }

  Optional<PodRow> byUid(String uid) {
    return db.queryOne("SELECT * FROM pods WHERE uid = ?", PodStore::row, uid);
  }

  Optional<PodRow> find(String namespace, String name) {
    return db.queryOne("SELECT * FROM pods WHERE namespace = ? AND name = ?", PodStore::row, namespace, name);
  }

  List<PodRow> list(Optional<String> namespace) {
    return namespace.isPresent()
        ? db.query("SELECT * FROM pods WHERE namespace = ? ORDER BY name", PodStore::row, namespace.get())
        : db.query("SELECT * FROM pods ORDER BY namespace, name", PodStore::row);
  }

  void delete(String uid) {
    db.update("DELETE FROM pods WHERE uid = ?", uid);
  }

  private static PodRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new PodRow(rs.getString("uid"), rs.getString("namespace"), rs.getString("name"), rs.getString("manifest"),
        rs.getString("sandbox_id"), Instant.parse(rs.getString("created")), rs.getLong("grace_seconds"),
        rs.getString("document"));
  }
}
