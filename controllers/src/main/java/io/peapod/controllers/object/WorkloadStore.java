package io.peapod.controllers.object;

import io.peapod.base.error.InternalException;
import io.peapod.base.json.Json;
import io.peapod.kubelet.manifest.Fields;
import io.peapod.state.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The `workloads` table (owner `controllers`): one row per workload from its creation until it is
/// deleted. `owner_uid` is the uid of the workload's controlling owner (a ReplicaSet's Deployment), so
/// that what an owner owns is one query. Objects, status and tracking are JSON.
public final class WorkloadStore {
  private static final List<String> SCHEMA = List.of("""
      CREATE TABLE workloads (uid TEXT PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
        generation INTEGER NOT NULL, created TEXT NOT NULL, object TEXT NOT NULL, status TEXT NOT NULL,
        tracking TEXT NOT NULL, deletion TEXT, owner_uid TEXT NOT NULL DEFAULT '', UNIQUE(kind, namespace, name));
      CREATE INDEX workloads_owner ON workloads(owner_uid)
      """);

  private final Database db;
  private final WorkloadParser parser = new WorkloadParser();

  public WorkloadStore(Database db) {
    this.db = db;
    db.migrate("controllers", SCHEMA);
  }

  /// Stores a new workload from a parsed object: a fresh uid, generation 1, no status yet.
  public Workload create(WorkloadParser.Parsed p, Instant now) {
    Workload w = new Workload(java.util.UUID.randomUUID().toString(), p.kind(), p.namespace(), p.name(), 1, now,
        p.labels(), p.annotations(), p.ownerReferences(), p.object(), p.spec(), Map.of(), Map.of(),
        Optional.empty());
    insert(w);
    return w;
  }

  /// Replaces a workload's object with `object` once it validates; the generation moves when the spec
  /// changed. Returns the stored workload.
  public Workload replace(Workload w, Map<String, Object> object) {
    WorkloadParser.Parsed p = parser.reread(w.kind(), object, w.ref());
    boolean specChanged = !ObjectMaps.canonical(object.get("spec")).equals(ObjectMaps.canonical(w.object().get("spec")));
    updateObject(w.uid(), object, specChanged, p.ownerReferences().stream().filter(o -> o.controller())
        .map(o -> o.uid()).findFirst().orElse(""));
    return byUid(w.uid()).orElseThrow(() -> new io.peapod.base.error.NotFoundException(w.ref() + " is gone"));
  }

  public void insert(Workload w) {
    db.update("INSERT INTO workloads (uid, kind, namespace, name, generation, created, object, status, tracking,"
        + " owner_uid) VALUES (?,?,?,?,?,?,?,?,?,?)", w.uid(), w.kind().name(), w.namespace(), w.name(),
        w.generation(), Database.time(w.created()), Json.write(w.object()), Json.write(w.status()),
        Json.write(w.tracking()), w.controller().map(o -> o.uid()).orElse(""));
  }

  /// Replaces the applied object (a changed spec, labels or owners); bumps the generation when the
  /// spec changed. Returns whether anything changed.
  public boolean updateObject(String uid, Map<String, Object> object, boolean specChanged, String ownerUid) {
    return db.update("UPDATE workloads SET object = ?, generation = generation + ?, owner_uid = ? WHERE uid = ?"
        + " AND (object <> ? OR owner_uid <> ?)", Json.write(object), specChanged ? 1 : 0, ownerUid, uid,
        Json.write(object), ownerUid) > 0;
  }

  /// Stores a controller's status and tracking; returns whether the status differed.
  public boolean updateStatus(String uid, Map<String, Object> status, Map<String, Object> tracking) {
    String s = Json.write(status);
    String t = Json.write(tracking);
    return db.update("UPDATE workloads SET status = ?, tracking = ? WHERE uid = ? AND (status <> ? OR tracking <> ?)",
        s, t, uid, s, t) > 0;
  }

  public boolean markDeleting(String uid, Instant at) {
    return db.update("UPDATE workloads SET deletion = COALESCE(deletion, ?) WHERE uid = ?", Database.time(at),
        uid) > 0;
  }

  public boolean delete(String uid) {
    return db.update("DELETE FROM workloads WHERE uid = ?", uid) > 0;
  }

  public Optional<Workload> byUid(String uid) {
    return db.queryOne("SELECT * FROM workloads WHERE uid = ?", this::row, uid);
  }

  public Optional<Workload> find(Kind kind, String namespace, String name) {
    return db.queryOne("SELECT * FROM workloads WHERE kind = ? AND namespace = ? AND name = ?", this::row,
        kind.name(), namespace, name);
  }

  /// Workloads of one kind (or every kind) in one namespace (or all), by namespace and name.
  public List<Workload> list(Optional<Kind> kind, Optional<String> namespace) {
    return db.query("SELECT * FROM workloads WHERE (? = '' OR kind = ?) AND (? = '' OR namespace = ?)"
        + " ORDER BY namespace, name", this::row, kind.map(Kind::name).orElse(""), kind.map(Kind::name).orElse(""),
        namespace.orElse(""), namespace.orElse(""));
  }

  /// The workloads `owner` controls, in its namespace (a reference from elsewhere is not ownership).
  public List<Workload> ownedBy(Workload owner) {
    return db.query("SELECT * FROM workloads WHERE owner_uid = ? AND namespace = ? ORDER BY created, name",
        this::row, owner.uid(), owner.namespace());
  }

  public List<String> uids() {
    return db.query("SELECT uid FROM workloads", rs -> rs.getString(1));
  }

  private Workload row(ResultSet rs) throws SQLException {
    Kind kind = Kind.valueOf(rs.getString("kind"));
    Map<String, Object> object = map(rs.getString("object"));
    String where = "stored " + kind.kindName() + " " + rs.getString("namespace") + "/" + rs.getString("name");
    WorkloadParser.Parsed p = parser.reread(kind, object, where);
    return new Workload(rs.getString("uid"), kind, p.namespace(), p.name(), rs.getLong("generation"),
        Instant.parse(rs.getString("created")), p.labels(), p.annotations(), p.ownerReferences(), object, p.spec(),
        map(rs.getString("status")), map(rs.getString("tracking")),
        Optional.ofNullable(rs.getString("deletion")).map(Instant::parse));
  }

  private static Map<String, Object> map(String json) {
    Object o = Json.parse(json);
    if (!(o instanceof Map<?, ?> m)) {
      throw new InternalException("stored workload column is not a JSON object: " + json);
    }
    return new LinkedHashMap<>(Fields.cast(m));
  }
}
