package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peapod.base.io.FileTrees;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.PeapodCli;
import io.peapod.cli.command.Streams;
import io.peapod.sys.proc.ProcFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/// A real daemon process for one test class: its own state, run and log roots under /tmp, its own
/// socket and cgroup parent. [#close] deletes what the test left, stops the daemon and asserts that the
/// kernel holds nothing of it any more (mounts, netns pins, cgroups, monitor processes).
final class TestDaemon implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("peapod.repo", ".."));
  /// The CLI as users run it: bin/peapod, with the AOT cache and the socket library the build made.
  static final Path LAUNCHER = REPO.resolve("bin/peapod").toAbsolutePath();
  final Path root;
  final Path socket;
  final String cgroupParent;
  /// Each test daemon has its own CNI network: bridge, subnet, name (which iptables comments carry).
  final String bridge;
  final String network;
  final String subnet;
  /// Short, so tests see a failed pull or create retried in seconds (the default is kubelet's 10 s).
  static final String BACK_OFF = "1s";
  private Process process;
  /// Flags this daemon gets besides the test defaults.
  private final List<String> extraFlags = new ArrayList<>();

  final Path stateRoot;

  private TestDaemon(Path root, String subnet, Path stateRoot) {
    this.root = root;
    this.stateRoot = stateRoot;
    this.socket = root.resolve("run/peapod.sock");
    String tag = root.getFileName().toString().substring(10);
    this.cgroupParent = "peapod-it-" + tag;
    this.bridge = "pp" + tag.substring(0, 6);
    this.network = "peapod-it-" + tag;
    this.subnet = subnet;
  }

  static TestDaemon start() throws Exception {
    return start(24);
  }

  /// A daemon whose pod subnet has the given prefix length (a small one makes IP reuse visible).
  static TestDaemon start(int prefix) throws Exception {
    TestDaemon d = create(prefix);
    d.startProcess();
    return d;
  }

  /// A daemon whose CNI config dir holds the given conflist instead of peapod's default.
  static TestDaemon startWithCniConfig(String conflist) throws Exception {
    TestDaemon d = create(24);
    Files.createDirectories(d.root.resolve("cni"));
    Files.writeString(d.root.resolve("cni/10-test.conflist"), conflist);
    d.startProcess();
    return d;
  }

  /// A daemon with the given registries config (JSON, see RegistryConfig) instead of the test one, which
  /// has only the [DockerHubMirror].
  static TestDaemon startWithRegistries(String json) throws Exception {
    TestDaemon d = create(24);
    Files.writeString(d.root.resolve("registries.json"), json);
    d.startProcess();
    return d;
  }

  /// A daemon with extra flags (`--container-log-max-size=1Mi`, say).
  static TestDaemon startWithFlags(String... flags) throws Exception {
    TestDaemon d = create(24);
    d.extraFlags.addAll(List.of(flags));
    d.startProcess();
    return d;
  }

  /// A daemon whose state root is elsewhere (on a small file system, say); the rest is under /tmp.
  static TestDaemon startWithStateRoot(Path stateRoot) throws Exception {
    TestDaemon d = create(24, stateRoot);
    d.startProcess();
    return d;
  }

  private static TestDaemon create(int prefix) throws Exception {
    return create(prefix, null);
  }

  private static TestDaemon create(int prefix, Path stateRoot) throws Exception {
    Path root = Files.createDirectories(Path.of("/tmp/peapod-it-" + UUID.randomUUID().toString().substring(0, 8)));
    int third = 1 + Math.floorMod(root.getFileName().toString().hashCode(), 250);
    Files.writeString(root.resolve("registries.json"), "{\"registries\": {" + DockerHubMirror.registriesEntry() + "}}");
    return new TestDaemon(root, "10.233." + third + ".0/" + prefix, stateRoot == null ? root.resolve("state") : stateRoot);
  }

  void startProcess() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        // The heap bin/peapod gives the daemon, so every test runs within it.
        "-XX:+UseSerialGC", "-Xmx96m", "-XX:+ExitOnOutOfMemoryError",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "io.peapod.server.DaemonMain", "--state-root=" + stateRoot, "--run-root=" + root.resolve("run"),
        "--log-root=" + root.resolve("logs"), "--cgroup-parent=" + cgroupParent, "--log-level=debug",
        "--cni-conf-dir=" + root.resolve("cni"), "--cni-bridge=" + bridge, "--pod-cidr=" + subnet,
        "--cni-network=" + network, "--registries-config=" + root.resolve("registries.json"),
        "--backoff=" + BACK_OFF, "--pod-manifest-path=" + root.resolve("manifests"),
        // The build's monitor: run from Maven's repository, the daemon's jar has none beside it.
        "--pod-monitor=" + REPO.resolve("server/target/peapod-podmon"),
        // Tests count what the kernel holds while the daemon runs; a pool would hold sandboxes of no pod.
        // SandboxPoolIT turns it on (a later flag wins).
        "--sandbox-pool=0"));
    cmd.addAll(extraFlags);
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("daemon.log").toFile())).start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("daemon exited: " + Files.readString(root.resolve("daemon.log")));
      }
      try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("daemon did not listen on " + socket + " within 30 s");
  }

  /// The daemon's process id (to read its /proc, or to kill it).
  long daemonPid() {
    return process.pid();
  }

  /// SIGKILL: the daemon gets no chance to clean up, as after a crash.
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  CliResult cli(String... args) {
    return cliWithInput("", args);
  }

  CliResult cliWithInput(String stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    int dashes = argv.indexOf("--");
    argv.add(dashes < 0 ? argv.size() : dashes, "--socket=" + socket);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PeapodCli.run(argv.toArray(String[]::new), new Streams(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true),
        new PrintStream(err, true)));
    return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  JsonNode pod(String name) {
    return Json.parseNode(cli("get", "pod", name, "-o", "json").ok().out());
  }

  /// The host pid of a container's init, from the daemon's status (then checked against /proc by callers).
  /// The host pid of a container (app, init or ephemeral) as the daemon reports it; 0 when not running.
  /// Whether the daemon runs containers with runc (`peapod version` says which runtime it picked).
  boolean usesRunc() {
    return cli("version").ok().out().contains("OCI runtime runc");
  }

  int pid(String pod, String container) {
    JsonNode status = pod(pod).get("status");
    for (String list : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
      for (JsonNode c : status.get(list).list()) {
        if (c.get("name").text("").equals(container)) {
          return (int) c.get("pid").asLong(0);
        }
      }
    }
    throw new AssertionError("no container " + container + " in " + pod);
  }

  /// The `state.waiting` of a container as the API reports it (`reason`, `message`), or an empty node.
  JsonNode waiting(String pod, String container) {
    for (JsonNode c : pod(pod).get("status").get("containerStatuses").list()) {
      if (c.get("name").text("").equals(container)) {
        return c.get("state").get("waiting");
      }
    }
    throw new AssertionError("no container " + container + " in " + pod);
  }

  /// The API's status of one container (init or app) of a pod.
  JsonNode container(String pod, String container) {
    JsonNode status = pod(pod).get("status");
    List<JsonNode> all = new ArrayList<>(status.get("initContainerStatuses").list());
    all.addAll(status.get("containerStatuses").list());
    return all.stream().filter(c -> c.get("name").text("").equals(container)).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + container + " in " + pod));
  }

  /// Waits (10 s at most) until the container waits for `reason`; returns its `state.waiting`.
  JsonNode awaitWaiting(String pod, String container, String reason) throws InterruptedException {
    eventually(Duration.ofSeconds(10), () -> waiting(pod, container).get("reason").text("").equals(reason));
    JsonNode w = waiting(pod, container);
    assertEquals(reason, w.get("reason").text(""), "waiting state of " + container + ": " + w.raw());
    return w;
  }

  /// The pod's events as `describe` prints them.
  String events(String pod) {
    String out = cli("describe", "pod", pod).ok().out();
    return out.substring(out.indexOf("Events:"));
  }

  /// Whether the command line (`ProcFs.cmdline`, arguments joined by spaces) is a pod monitor's: its
  /// program, not an argument (a daemon's `--pod-monitor=...` flag) names peapod-podmon.
  static boolean isPodMonitor(String cmdline) {
    return cmdline.split(" ", 2)[0].endsWith("/peapod-podmon");
  }

  /// The parent of a process, as the kernel reports it (`/proc/PID/stat`, after the command's parentheses).
  static int parentPid(int pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
  }

  int pausePid(String pod) {
    return (int) pod(pod).get("status").get("pausePid").asLong(0);
  }

  /// Whether `check` turns true within five seconds; containers print asynchronously to their logs.
  boolean eventually(BooleanSupplier check) throws InterruptedException {
    return eventually(Duration.ofSeconds(5), check);
  }

  /// Whether `check` turns true within `limit` (for what waits out a back-off).
  boolean eventually(Duration limit, BooleanSupplier check) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (check.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return check.getAsBoolean();
  }

  Path writeManifest(String name, String yaml) throws IOException {
    return Files.writeString(root.resolve(name), yaml);
  }

  /// Imports busybox (made from Debian's busybox-static by the project's script) as the README does.
  void importBusybox() throws Exception {
    cli("image", "import", "--rootfs", busyboxRootfs().toString(), "--tag", "docker.io/library/busybox:latest",
        "--change", "CMD [\"sh\"]").ok();
  }

  /// The imported busybox image's one layer, as stored: the base layer of images tests build.
  byte[] busyboxLayer() throws IOException {
    String digest = cli("image", "inspect", "busybox", "-o", "json").ok().out()
        .replaceAll("(?s).*\"layers\": \\[\\s*\"sha256:([0-9a-f]{64}).*", "$1");
    return Files.readAllBytes(stateRoot.resolve("content/blobs/sha256/" + digest));
  }

  Path busyboxRootfs() throws Exception {
    Path rootfs = REPO.resolve("e2e/target/busybox-rootfs");
    synchronized (TestDaemon.class) {
      if (!Files.exists(rootfs.resolve("bin/busybox"))) {
        Process p = new ProcessBuilder("bash", REPO.resolve("scripts/make-busybox-rootfs.sh").toString(),
            rootfs.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "make-busybox-rootfs.sh failed");
      }
    }
    return rootfs;
  }

  /// What of this daemon the kernel still holds.
  List<String> leftovers() throws IOException {
    List<String> left = new ArrayList<>();
    for (String m : ProcFs.HOST.mountPoints("self")) {
      if (m.startsWith(root.toString())) {
        left.add("mount " + m);
      }
    }
    Path netns = root.resolve("run/netns");
    if (Files.isDirectory(netns)) {
      try (Stream<Path> s = Files.list(netns)) {
        s.forEach(p -> left.add("netns pin " + p));
      }
    }
    podCgroups().forEach(p -> left.add("cgroup " + p));
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(p -> ProcFs.HOST.cmdline((int) p.pid()).contains(root.toString()))
          .filter(p -> p.pid() != (process == null ? -1 : process.pid()))
          .forEach(p -> left.add("process " + p.pid() + " " + ProcFs.HOST.cmdline((int) p.pid())));
    }
    if (Files.exists(Path.of("/sys/class/net", bridge))) {
      for (String link : run("ip", "-o", "link", "show", "master", bridge).lines().toList()) {
        left.add("veth " + link);
      }
    }
    Path leases = stateRoot.resolve("cni/networks/" + network);
    if (Files.isDirectory(leases)) {
      try (Stream<Path> s = Files.list(leases)) {
        s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9.]+"))
            .forEach(n -> left.add("IP lease " + n));
      }
    }
    Path runc = root.resolve("run/runc");
    if (Files.isDirectory(runc)) {
      for (String id : run("runc", "--root", runc.toString(), "list", "-q").lines().filter(l -> !l.isBlank()).toList()) {
        left.add("runc container " + id);
      }
    }
    boolean running = process != null && process.isAlive();
    for (String rule : run("iptables-save").lines().filter(l -> l.contains(network)).toList()) {
      // The pod network's one masquerade rule is the running daemon's, as the bridge is; a stopped
      // daemon with no pods must have removed it.
      if (!(running && rule.contains("masquerade for pod network " + network + "\""))) {
        left.add("iptables " + rule);
      }
    }
    for (Path d : List.of(root.resolve("run/containers"), root.resolve("run/sandboxes"), root.resolve("run/sockets"),
        root.resolve("run/exits"), stateRoot.resolve("snapshots"), stateRoot.resolve("pods"))) {
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.list(d)) {
          s.forEach(p -> left.add("file " + p));
        }
      }
    }
    Path logs = root.resolve("logs");
    if (Files.isDirectory(logs)) {
      try (Stream<Path> s = Files.list(logs)) {
        s.forEach(p -> left.add("log dir " + p));
      }
    }
    return left;
  }

  static String run(String... cmd) throws IOException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + List.of(cmd), e);
    }
  }

  /// Every pod cgroup (`pod<sandbox id>`) below the daemon's cgroup parent, in every hierarchy, whatever
  /// QoS cgroup it is in; the QoS cgroups themselves stay, as kubelet's do.
  List<Path> podCgroups() throws IOException {
    List<Path> pods = new ArrayList<>();
    for (Path h : cgroupHierarchies()) {
      podCgroups(h.resolve(cgroupParent), 4, pods);
    }
    return pods;
  }

  /// A walk that a cgroup removed meanwhile (the daemon works while tests look) does not end.
  private static void podCgroups(Path dir, int depth, List<Path> pods) throws IOException {
    if (depth == 0) {
      return;
    }
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.filter(Files::isDirectory).toList();
    } catch (NoSuchFileException e) {
      return;
    }
    for (Path child : children) {
      if (child.getFileName().toString().startsWith("pod")) {
        pods.add(child);
      }
      podCgroups(child, depth - 1, pods);
    }
  }

  /// The pod cgroup of a sandbox in one hierarchy (where it is, or would be, below the QoS cgroups).
  Path podCgroup(Path hierarchy, String sandboxId) throws IOException {
    Path parent = hierarchy.resolve(cgroupParent);
    for (String qos : List.of("kubepods/burstable", "kubepods/besteffort", "kubepods", "")) {
      Path p = parent.resolve(qos).resolve("pod" + sandboxId);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return parent.resolve("pod" + sandboxId);
  }

  /// The cgroup parent and the QoS cgroups the daemon made below it, deepest first.
  private static void removeEmptyCgroups(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      return;
    }
    List<Path> dirs;
    try (Stream<Path> s = Files.walk(parent)) {
      dirs = s.filter(Files::isDirectory).sorted(java.util.Comparator.comparingInt(Path::getNameCount).reversed())
          .toList();
    }
    for (Path d : dirs) {
      Files.deleteIfExists(d);
    }
  }

  static List<Path> cgroupHierarchies() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String fs = line.substring(line.indexOf(" - ") + 3).split(" ")[0];
      if (fs.equals("cgroup") || fs.equals("cgroup2")) {
        out.add(Path.of(line.split(" ")[4]));
      }
    }
    return out;
  }

  /// Deletes every workload, then every pod, through the CLI. What a deleted owner owned may go on its
  /// own between a listing and its delete, so "not found" (exit 3) is no failure here.
  private void deleteEverything() {
    for (String kind : List.of("deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "pods")) {
      JsonNode objects = Json.parseNode(cli("get", kind, "-A", "-o", "json").ok().out());
      for (JsonNode o : objects.get("items").list()) {
        List<String> args = new ArrayList<>(List.of("delete", kind, o.get("metadata").get("name").text(""), "-n",
            o.get("metadata").get("namespace").text("")));
        if (kind.equals("pods")) {
          args.add("--now");
        }
        CliResult r = cli(args.toArray(String[]::new));
        if (r.exitCode() != 3) {
          r.ok();
        }
      }
    }
  }

  /// Deletes every workload and pod through the CLI, stops the daemon, and asserts nothing is left behind.
  @Override
  public void close() throws Exception {
    List<String> left;
    try {
      if (process != null && process.isAlive()) {
        try {
          deleteEverything();
        } finally {
          process.destroy();
          process.waitFor();
        }
      }
      left = leftovers();
    } finally {
      for (Path h : cgroupHierarchies()) {
        removeEmptyCgroups(h.resolve(cgroupParent));
      }
      // The bridge outlives pods by design (like cni0); the test's own one goes with the test.
      run("ip", "link", "del", bridge);
    }
    if (!left.isEmpty()) {
      throw new AssertionError("the daemon left these behind (see " + root + "/daemon.log):\n  "
          + String.join("\n  ", left));
    }
    // A controller's status with a field the API's WorkloadStatus lacks is logged, not failed, in the daemon.
    Path log = root.resolve("daemon.log");
    if (Files.exists(log)) {
      List<String> misfits = Files.readAllLines(log).stream().filter(l -> l.contains("does not fit the API's"))
          .toList();
      if (!misfits.isEmpty()) {
        throw new AssertionError("the API's documents lack fields the daemon writes:\n  "
            + String.join("\n  ", misfits));
      }
    }
    FileTrees.delete(root);
  }
}
