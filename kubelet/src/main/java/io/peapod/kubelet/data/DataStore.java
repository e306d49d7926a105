package io.peapod.kubelet.data;

import io.peapod.image.registry.RegistryConfig.Credentials;
import io.peapod.kubelet.manifest.DataObject;
import io.peapod.kubelet.manifest.EnvVar.ObjectKind;
import io.peapod.state.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// ConfigMaps and Secrets by kind, namespace and name, in the state database (which only root can read).
/// Values are kept as one line per key, `key=base64(value)`; each kind has its own table.
public final class DataStore {
  private static final String COLUMNS = " (namespace TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,"
      + " data TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY(namespace, name))";

  /// A stored object as `get secrets` / `get configmaps` lists it.
  public record DataRow(ObjectKind kind, String namespace, String name, String type, int keys, Instant created) {}

  /// Registry credentials from a pod's pull secrets; `missing` names those not found, for the pull error.
  public record PullCredentials(Map<String, Credentials> byHost, List<String> missing) {
    public PullCredentials {
      byHost = Map.copyOf(byHost);
      missing = List.copyOf(missing);
    }
  }

  private final Database db;

  public DataStore(Database db) {
    this.db = db;
    db.migrate("secrets", List.of("CREATE TABLE secrets" + COLUMNS));
    db.migrate("configmaps", List.of("CREATE TABLE configmaps" + COLUMNS));
  }

  private static String table(ObjectKind kind) {
    return kind == ObjectKind.SECRET ? "secrets" : "configmaps";
  }

  /// Checks what the pods will read from the object; throws naming it if it is unusable.
  public static void validate(DataObject s) {
    if (s.type().equals(DataObject.DOCKER_CONFIG_JSON)) {
      DockerConfig.parse(s.data().get(".dockerconfigjson"), "secret " + s.namespace() + "/" + s.name());
    }
  }

  /// Creates or replaces the object; returns whether it existed.
  public boolean put(DataObject s) {
    StringBuilder data = new StringBuilder();
    s.data().forEach((k, v) -> data.append(k).append('=').append(Base64.getEncoder().encodeToString(v)).append('\n'));
    String table = table(s.kind());
    return db.inTransaction(tx -> {
      boolean existed = tx.queryOne("SELECT 1 FROM " + table + " WHERE namespace = ? AND name = ?", r -> true,
          s.namespace(), s.name()).isPresent();
      tx.update("INSERT INTO " + table + " VALUES (?,?,?,?,?) ON CONFLICT(namespace, name) DO UPDATE SET"
          + " type = excluded.type, data = excluded.data", s.namespace(), s.name(), s.type(), data.toString(),
          Instant.now().toString());
      return existed;
    });
  }

  public boolean exists(ObjectKind kind, String namespace, String name) {
    return find(kind, namespace, name).isPresent();
  }

  public boolean delete(ObjectKind kind, String namespace, String name) {
    return db.update("DELETE FROM " + table(kind) + " WHERE namespace = ? AND name = ?", namespace, name) > 0;
  }

  public List<DataRow> list(ObjectKind kind, Optional<String> namespace) {
    String sql = "SELECT * FROM " + table(kind) + (namespace.isPresent() ? " WHERE namespace = ?" : "")
        + " ORDER BY namespace, name";
    return namespace.isPresent() ? db.query(sql, rs -> row(kind, rs), namespace.get())
        : db.query(sql, rs -> row(kind, rs));
  }

  /// The registry credentials the named secrets give, first secret first for a host named twice.
  public PullCredentials pullCredentials(String namespace, List<String> names) {
    Map<String, Credentials> byHost = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      Optional<DataObject> s = find(ObjectKind.SECRET, namespace, name)
          .filter(x -> x.type().equals(DataObject.DOCKER_CONFIG_JSON));
      if (s.isEmpty()) {
        missing.add(name);
        continue;
      }
      DockerConfig.parse(s.get().data().get(".dockerconfigjson"), "secret " + namespace + "/" + name)
          .forEach(byHost::putIfAbsent);
    }
    return new PullCredentials(byHost, missing);
  }

  public Optional<DataObject> find(ObjectKind kind, String namespace, String name) {
    return db.queryOne("SELECT type, data FROM " + table(kind) + " WHERE namespace = ? AND name = ?", r -> {
      Map<String, byte[]> data = new LinkedHashMap<>();
      for (String line : r.getString("data").split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          data.put(line.substring(0, eq), Base64.getDecoder().decode(line.substring(eq + 1)));
        }
      }
      return new DataObject(kind, name, namespace, r.getString("type"), data);
    }, namespace, name);
  }

  private static DataRow row(ObjectKind kind, ResultSet rs) throws SQLException {
    return new DataRow(kind, rs.getString("namespace"), rs.getString("name"), rs.getString("type"),
        (int) rs.getString("data").lines().count(), Instant.parse(rs.getString("created")));
  }
}
