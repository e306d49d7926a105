package io.peapod.kubelet.secret;

import io.peapod.image.registry.RegistryConfig.Credentials;
import io.peapod.kubelet.manifest.SecretManifest;
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

/// Secrets by namespace and name, in the state database (which only root can read). Values are kept as
/// one line per key, `key=base64(value)`.
public final class SecretStore {
  private static final List<String> SCHEMA = List.of("CREATE TABLE secrets (namespace TEXT NOT NULL, name TEXT NOT NULL,"
      + " type TEXT NOT NULL, data TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY(namespace, name))");

  /// A stored secret as `get secrets` lists it.
  public record SecretRow(String namespace, String name, String type, int keys, Instant created) {}

  /// Registry credentials from a pod's pull secrets; `missing` names those not found, for the pull error.
  public record PullCredentials(Map<String, Credentials> byHost, List<String> missing) {
    public PullCredentials {
      byHost = Map.copyOf(byHost);
      missing = List.copyOf(missing);
    }
  }

  private final Database db;

  public SecretStore(Database db) {
    this.db = db;
    db.migrate("secrets", SCHEMA);
  }

  /// Checks what the pods will read from the secret; throws naming the secret if it is unusable.
  public static void validate(SecretManifest s) {
    if (s.type().equals(SecretManifest.DOCKER_CONFIG_JSON)) {
      DockerConfig.parse(s.data().get(".dockerconfigjson"), "secret " + s.namespace() + "/" + s.name());
    }
  }

  /// Creates or replaces the secret; returns whether it existed.
  public boolean put(SecretManifest s) {
    StringBuilder data = new StringBuilder();
    s.data().forEach((k, v) -> data.append(k).append('=').append(Base64.getEncoder().encodeToString(v)).append('\n'));
    return db.inTransaction(tx -> {
      boolean existed = tx.queryOne("SELECT 1 FROM secrets WHERE namespace = ? AND name = ?", r -> true, s.namespace(),
          s.name()).isPresent();
      tx.update("INSERT INTO secrets VALUES (?,?,?,?,?) ON CONFLICT(namespace, name) DO UPDATE SET type = excluded.type,"
          + " data = excluded.data", s.namespace(), s.name(), s.type(), data.toString(), Instant.now().toString());
      return existed;
    });
  }

  public boolean exists(String namespace, String name) {
    return db.queryOne("SELECT 1 FROM secrets WHERE namespace = ? AND name = ?", r -> true, namespace, name)
        .isPresent();
  }

  public boolean delete(String namespace, String name) {
    return db.update("DELETE FROM secrets WHERE namespace = ? AND name = ?", namespace, name) > 0;
  }

  public List<SecretRow> list(Optional<String> namespace) {
    String sql = "SELECT * FROM secrets" + (namespace.isPresent() ? " WHERE namespace = ?" : "")
        + " ORDER BY namespace, name";
    return namespace.isPresent() ? db.query(sql, SecretStore::row, namespace.get()) : db.query(sql, SecretStore::row);
  }

  /// The registry credentials the named secrets give, first secret first for a host named twice.
  public PullCredentials pullCredentials(String namespace, List<String> names) {
    Map<String, Credentials> byHost = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      Optional<SecretManifest> s = find(namespace, name)
          .filter(x -> x.type().equals(SecretManifest.DOCKER_CONFIG_JSON));
      if (s.isEmpty()) {
        missing.add(name);
        continue;
      }
      DockerConfig.parse(s.get().data().get(".dockerconfigjson"), "secret " + namespace + "/" + name)
          .forEach(byHost::putIfAbsent);
    }
    return new PullCredentials(byHost, missing);
  }

  private Optional<SecretManifest> find(String namespace, String name) {
    return db.queryOne("SELECT type, data FROM secrets WHERE namespace = ? AND name = ?", r -> {
      Map<String, byte[]> data = new LinkedHashMap<>();
      for (String line : r.getString("data").split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          data.put(line.substring(0, eq), Base64.getDecoder().decode(line.substring(eq + 1)));
        }
      }
      return new SecretManifest(name, namespace, r.getString("type"), data);
    }, namespace, name);
  }

  private static SecretRow row(ResultSet rs) throws SQLException {
    return new SecretRow(rs.getString("namespace"), rs.getString("name"), rs.getString("type"),
        (int) rs.getString("data").lines().count(), Instant.parse(rs.getString("created")));
  }
}
