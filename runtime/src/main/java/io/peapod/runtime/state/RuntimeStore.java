package io.peapod.runtime.state;

import io.peapod.base.error.NotFoundException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.image.ref.Digest;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.DnsConfig;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.api.PortMapping;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.state.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// Sandbox and container rows; see the package documentation for the schema.
public final class RuntimeStore {
  private static final List<String> SCHEMA = List.of("""
      CREATE TABLE sandboxes (id TEXT PRIMARY KEY, name TEXT NOT NULL, namespace TEXT NOT NULL, uid TEXT NOT NULL,
        config TEXT NOT NULL, state TEXT NOT NULL, created TEXT NOT NULL, netns TEXT NOT NULL, pause_pid INTEGER NOT NULL,
        ip TEXT NOT NULL);
      CREATE TABLE containers (id TEXT PRIMARY KEY, sandbox_id TEXT NOT NULL REFERENCES sandboxes(id), name TEXT NOT NULL,
        attempt INTEGER NOT NULL, image TEXT NOT NULL, image_id TEXT NOT NULL, image_manifest TEXT NOT NULL,
        state TEXT NOT NULL, created TEXT NOT NULL, started TEXT, finished TEXT, exit_code INTEGER NOT NULL,
        reason TEXT NOT NULL, message TEXT NOT NULL, pid INTEGER NOT NULL, log_path TEXT NOT NULL, labels TEXT NOT NULL)
      """,
      "ALTER TABLE sandboxes ADD COLUMN cni_result TEXT NOT NULL DEFAULT ''",
      """
      ALTER TABLE sandboxes ADD COLUMN creating INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE containers ADD COLUMN creating INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX sandboxes_by_uid ON sandboxes(uid);
      CREATE INDEX containers_by_sandbox ON containers(sandbox_id)
      """,
      "ALTER TABLE containers ADD COLUMN annotations TEXT NOT NULL DEFAULT '{}'");
  private final Database db;

  public RuntimeStore(Database db) {
    this.db = db;
    db.migrate("runtime", SCHEMA);
  }

  /// Inserts a sandbox as soon as its creation starts (`creating`), so a crash part-way leaves a row to
  /// undo from.
  public void insertSandbox(SandboxStatus s) {
    db.update("INSERT INTO sandboxes(id, name, namespace, uid, config, state, created, netns, pause_pid, ip, creating)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,1)", s.id(), s.config().name(), s.config().namespace(), s.config().uid(),
        Json.write(configJson(s.config())), s.state().name(), Database.time(s.createdAt()), s.netnsPath(), s.pausePid(),
        s.ip());
  }

  /// Records what setting the network up produced (kept for DEL) before the pause container starts.
  public void updateSandboxNetwork(String id, String netns, String ip, String cniResult) {
    db.update("UPDATE sandboxes SET netns = ?, ip = ?, cni_result = ? WHERE id = ?", netns, ip, cniResult, id);
  }

  /// A pooled sandbox becomes the pod's: its identity, config and creation time, in one statement, so a
  /// crash leaves it either still pooled or wholly the pod's.
  public void adoptSandbox(String id, PodSandboxConfig config, Instant created) {
    db.update("UPDATE sandboxes SET name = ?, namespace = ?, uid = ?, config = ?, created = ? WHERE id = ?",
        config.name(), config.namespace(), config.uid(), Json.write(configJson(config)), Database.time(created), id);
  }

  /// The end of RunPodSandbox: the sandbox is whole.
  public void markSandboxReady(String id, int pausePid) {
    db.update("UPDATE sandboxes SET pause_pid = ?, state = ?, creating = 0 WHERE id = ?", pausePid,
        SandboxState.READY.name(), id);
  }

  /// Sandboxes and containers whose creation a crash interrupted.
  public List<String> creatingSandboxes() {
    return db.query("SELECT id FROM sandboxes WHERE creating = 1", r -> r.getString(1));
  }

  public List<String> creatingContainers() {
    return db.query("SELECT id FROM containers WHERE creating = 1", r -> r.getString(1));
  }

  public String cniResult(String id) {
    return db.queryOne("SELECT cni_result FROM sandboxes WHERE id = ?", r -> r.getString(1), id).orElse("");
  }

  public void updateSandboxState(String id, SandboxState state) {
    db.update("UPDATE sandboxes SET state = ? WHERE id = ?", state.name(), id);
  }

  public Optional<SandboxStatus> sandbox(String id) {
    return db.queryOne("SELECT * FROM sandboxes WHERE id = ?", RuntimeStore::sandboxRow, id);
  }

  /// The pod a sandbox belongs to ("" for a pooled one), without reading its whole row.
  public Optional<String> sandboxPodUid(String id) {
    return db.queryOne("SELECT uid FROM sandboxes WHERE id = ?", rs -> rs.getString(1), id);
  }

  public SandboxStatus requireSandbox(String id) {
    return sandbox(id).orElseThrow(() -> new NotFoundException("pod sandbox " + id + " not found"));
  }

  public List<SandboxStatus> sandboxes() {
    return db.query("SELECT * FROM sandboxes ORDER BY created", RuntimeStore::sandboxRow);
  }

  public List<SandboxStatus> sandboxesOf(String podUid) {
    return db.query("SELECT * FROM sandboxes WHERE uid = ? ORDER BY created", RuntimeStore::sandboxRow, podUid);
  }

  public void deleteSandbox(String id) {
    db.update("DELETE FROM sandboxes WHERE id = ?", id);
  }

  /// Inserts a container row as its creation starts (`creating`); `imageManifest` ties the container to
  /// the image it runs.
  public void insertContainer(ContainerStatus c, String imageManifest) {
    db.update("INSERT INTO containers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?)", c.id(), c.sandboxId(),
        c.name(), c.attempt(), c.image(), c.imageId(), imageManifest, c.state().name(), Database.time(c.createdAt()),
        c.startedAt().map(Database::time).orElse(null), c.finishedAt().map(Database::time).orElse(null),
        c.exitCode(), c.reason(), c.message(), c.pid(), c.logPath(), Json.write(c.labels()),
        Json.write(c.annotations()));
  }

  /// The end of CreateContainer: the process exists (CREATED, with its pid). False when it had already
  /// ended and its exit was recorded first: the row keeps the exit, and no pid.
  public boolean markCreated(String id, int pid) {
    return db.inTransaction(tx -> {
      if (tx.update("UPDATE containers SET pid = ?, creating = 0 WHERE id = ? AND state <> ?", pid, id,
          ContainerState.EXITED.name()) > 0) {
        return true;
      }
      tx.update("UPDATE containers SET creating = 0 WHERE id = ?", id);
      return false;
    });
  }

  /// The end of a create that also started the process (CREATED to RUNNING, its pid and start time, at
  /// once). False when the process had already ended and its exit was recorded first: the row keeps the
  /// exit, and takes the start time (never after the finish, taken before the process was asked for).
  public boolean markRunning(String id, int pid, Instant startedAt) {
    return db.inTransaction(tx -> {
      int running = tx.update("UPDATE containers SET state = ?, pid = ?, started = ?, creating = 0 WHERE id = ? AND"
          + " state = ?", ContainerState.RUNNING.name(), pid, Database.time(startedAt), id,
          ContainerState.CREATED.name());
      if (running > 0) {
        return true;
      }
      tx.update("UPDATE containers SET started = ?, creating = 0 WHERE id = ?", Database.time(startedAt), id);
      return false;
    });
  }

  /// The end of a CreateContainer whose process the OCI runtime refused to set up: kept as EXITED.
  public void markCannotRun(String id, Instant at, String message) {
    db.update("UPDATE containers SET state = ?, started = ?, finished = ?, exit_code = 128, reason = ?, message = ?,"
        + " creating = 0 WHERE id = ?", ContainerState.EXITED.name(), Database.time(at), Database.time(at),
        "ContainerCannotRun", message, id);
  }

  /// CREATED to RUNNING; a no-op when the container already exited (its exit was recorded first).
  public void markStarted(String id, Instant at) {
    db.update("UPDATE containers SET state = ?, started = ? WHERE id = ? AND state = ?", ContainerState.RUNNING.name(),
        Database.time(at), id, ContainerState.CREATED.name());
  }

  /// Records an exit once; later calls for the same container change nothing. The finish time is never
  /// before the start time (both are the daemon's clock, but an exit seen later may carry the exit
  /// file's coarser time).
  public boolean markExited(String id, int exitCode, Instant at, String reason, String message) {
    return db.inTransaction(tx -> {
      Optional<Instant> started = tx.queryOne("SELECT started FROM containers WHERE id = ?",
          r -> Optional.ofNullable(r.getString(1)).map(Instant::parse), id).flatMap(o -> o);
      Instant finished = started.filter(s -> s.isAfter(at)).orElse(at);
      return tx.update("UPDATE containers SET state = ?, finished = ?, exit_code = ?, reason = ?, message = ?, pid = 0,"
              + " started = COALESCE(started, ?) WHERE id = ? AND state IN (?, ?, ?)", ContainerState.EXITED.name(),
          Database.time(finished), exitCode, reason, message, Database.time(finished), id, ContainerState.CREATED.name(),
          ContainerState.RUNNING.name(), ContainerState.UNKNOWN.name()) > 0;
    });
  }

  public Optional<ContainerStatus> container(String id) {
    return db.queryOne("SELECT * FROM containers WHERE id = ?", RuntimeStore::containerRow, id);
  }

  public ContainerStatus requireContainer(String id) {
    return container(id).orElseThrow(() -> new NotFoundException("container " + id + " not found"));
  }

  public List<ContainerStatus> containers(Optional<String> sandboxId) {
    return sandboxId.isPresent()
        ? db.query("SELECT * FROM containers WHERE sandbox_id = ? ORDER BY created", RuntimeStore::containerRow,
            sandboxId.get())
        : db.query("SELECT * FROM containers ORDER BY created", RuntimeStore::containerRow);
  }

  /// The images' manifests the containers run, as image garbage collection must keep them.
  public Set<Digest> manifestsInUse() {
    return Set.copyOf(db.query("SELECT DISTINCT image_manifest FROM containers", r -> Digest.parse(r.getString(1))));
  }

  public void deleteContainer(String id) {
    db.update("DELETE FROM containers WHERE id = ?", id);
  }

  private static Map<String, Object> configJson(PodSandboxConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("namespace", c.namespace());
    m.put("uid", c.uid());
    m.put("attempt", c.attempt());
    m.put("hostname", c.hostname());
    m.put("logDirectory", c.logDirectory());
    m.put("network", c.namespaces().network());
    m.put("pid", c.namespaces().pid());
    m.put("ipc", c.namespaces().ipc());
    m.put("portMappings", c.portMappings().stream().map(p -> Map.of("protocol", p.protocol(), "containerPort",
        p.containerPort(), "hostPort", p.hostPort(), "hostIp", p.hostIp())).toList());
    m.put("dns", Map.of("servers", c.dns().servers(), "searches", c.dns().searches(), "options", c.dns().options()));
    m.put("labels", c.labels());
    m.put("annotations", c.annotations());
    m.put("cgroupParent", c.cgroupParent());
    Resources r = c.podResources();
    m.put("podResources", Map.of("cpuShares", r.cpuShares(), "cpuQuota", r.cpuQuota(), "cpuPeriod", r.cpuPeriod(),
        "memoryLimitBytes", r.memoryLimitBytes()));
    m.put("sysctls", c.sysctls());
    return m;
  }

  private static PodSandboxConfig configFrom(JsonNode n) {
    return new PodSandboxConfig(n.get("name").text(""), n.get("namespace").text(""), n.get("uid").text(""),
        (int) n.get("attempt").asLong(0), n.get("hostname").text(""), n.get("logDirectory").text(""),
        new NamespaceOptions(NamespaceMode.valueOf(n.get("network").text("POD")),
            NamespaceMode.valueOf(n.get("pid").text("CONTAINER")), NamespaceMode.valueOf(n.get("ipc").text("POD"))),
        n.get("portMappings").list().stream().map(p -> new PortMapping(p.get("protocol").text("TCP"),
            (int) p.get("containerPort").asLong(0), (int) p.get("hostPort").asLong(0), p.get("hostIp").text("")))
            .toList(),
        new DnsConfig(n.get("dns").get("servers").strings(), n.get("dns").get("searches").strings(),
            n.get("dns").get("options").strings()),
        stringMap(n.get("labels")), stringMap(n.get("annotations")), n.get("cgroupParent").text(""),
        new Resources(n.get("podResources").get("cpuShares").asLong(0), n.get("podResources").get("cpuQuota").asLong(0),
            n.get("podResources").get("cpuPeriod").asLong(0), n.get("podResources").get("memoryLimitBytes").asLong(0),
            0),
        stringMap(n.get("sysctls")));
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    n.keys().forEach(k -> m.put(k, n.get(k).text("")));
    return m;
  }

  private static SandboxStatus sandboxRow(ResultSet rs) throws SQLException {
    return new SandboxStatus(rs.getString("id"), configFrom(Json.parseNode(rs.getString("config"))),
        SandboxState.valueOf(rs.getString("state")), Instant.parse(rs.getString("created")), rs.getString("netns"),
        rs.getInt("pause_pid"), rs.getString("ip"));
  }

  private static ContainerStatus containerRow(ResultSet rs) throws SQLException {
    return new ContainerStatus(rs.getString("id"), rs.getString("sandbox_id"), rs.getString("name"),
        rs.getInt("attempt"), rs.getString("image"), rs.getString("image_id"),
        ContainerState.valueOf(rs.getString("state")), Instant.parse(rs.getString("created")),
        Optional.ofNullable(rs.getString("started")).map(Instant::parse),
        Optional.ofNullable(rs.getString("finished")).map(Instant::parse), rs.getInt("exit_code"),
        rs.getString("reason"), rs.getString("message"), rs.getInt("pid"), rs.getString("log_path"),
        stringMap(Json.parseNode(rs.getString("labels"))), stringMap(Json.parseNode(rs.getString("annotations"))));
  }
}
