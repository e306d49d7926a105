package io.peapod.runtime;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.io.FileTrees;
import io.peapod.base.json.Json;
import io.peapod.image.ImageService;
import io.peapod.image.ResolvedImage;
import io.peapod.image.manifest.ImageConfig;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.api.VolumeMount;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.monitor.Conmon;
import io.peapod.runtime.monitor.ConmonRequest;
import io.peapod.runtime.monitor.ExitWatcher;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.network.CniNetwork;
import io.peapod.runtime.network.CniResult;
import io.peapod.runtime.network.NetnsPinner;
import io.peapod.runtime.network.PodNetworkRequest;
import io.peapod.runtime.oci.BindMount;
import io.peapod.runtime.oci.NamespaceJoin;
import io.peapod.runtime.oci.OciSpecs;
import io.peapod.runtime.oci.ProcessUser;
import io.peapod.runtime.oci.SpecInput;
import io.peapod.runtime.snapshot.OverlaySnapshotter;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.Mount;
import io.peapod.sys.MountFlags;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/// The CRI-shaped engine: RunPodSandbox, StopPodSandbox, RemovePodSandbox, CreateContainer,
/// StartContainer, StopContainer, RemoveContainer, statuses and exec. Work on one pod is serialized;
/// different pods proceed in parallel.
///
/// A sandbox is a pinned netns plus a pause container (catatonit) that creates the pod's IPC and UTS
/// namespaces (and PID, always; containers join it only when the pod shares its process namespace).
/// Each container gets an overlay rootfs, a `config.json`, and a conmon that runs the OCI runtime.
public final class RuntimeService implements AutoCloseable {
  private static final Logger LOG = System.getLogger(RuntimeService.class.getName());
  private static final int SANDBOX_OOM_SCORE_ADJ = -998;
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final RuntimeConfig config;
  private final Syscalls sys;
  private final ImageService images;
  private final RuntimeStore store;
  private final OciRuntime oci;
  private final Conmon conmon;
  private final OciSpecs specs;
  private final CgroupLayout cgroups;
  private final NetnsPinner netns;
  private final CniNetwork network;
  private final Supplier<String> nodeIp;
  private final OverlaySnapshotter snapshots;
  private final PauseRootfs pauseRootfs;
  private final ExitWatcher exits;
  private final KeyedLock<String> podLocks = new KeyedLock<>();
  private final List<Consumer<ContainerStatus>> exitListeners = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  public RuntimeService(RuntimeConfig config, Syscalls sys, ImageService images, RuntimeStore store, OciRuntime oci,
      Path conmonBinary, OciSpecs specs, CgroupLayout cgroups, CniNetwork network, Supplier<String> nodeIp) {
    this.config = config;
    this.sys = sys;
    this.images = images;
    this.store = store;
    this.oci = oci;
    this.conmon = new Conmon(conmonBinary, oci, sys);
    this.specs = specs;
    this.cgroups = cgroups;
    this.netns = new NetnsPinner(sys, config.runRoot().resolve("netns"));
    this.network = network;
    this.nodeIp = nodeIp;
    this.snapshots = new OverlaySnapshotter(config.stateRoot().resolve("snapshots"));
    this.pauseRootfs = new PauseRootfs(config.stateRoot().resolve("pause"));
    try {
      for (String d : List.of("sockets", "sandboxes", "containers", "runc")) {
        Files.createDirectories(config.runRoot().resolve(d));
      }
    } catch (IOException e) {
      throw new InternalException("prepare run root " + config.runRoot(), e);
    }
    this.exits = new ExitWatcher(config.runRoot().resolve("exits"), this::recordExit);
    recover();
  }

  // ---- sandboxes ---------------------------------------------------------------------------------

  /// Creates the pod's namespaces, sets its network up through CNI and starts its pause container;
  /// returns the sandbox id. The sandbox's row exists from the start, so a crash part-way leaves
  /// something [#removePodSandbox] can clean up from.
  public String runPodSandbox(PodSandboxConfig cfg) {
    String id = newId();
    return podLocks.withLock(id, () -> {
      long t0 = System.nanoTime();
      Rollback rollback = new Rollback();
      try {
        store.insertSandbox(new SandboxStatus(id, cfg, SandboxState.NOTREADY, Instant.now(), "", 0, ""));
        rollback.add(() -> store.deleteSandbox(id));
        Path dir = sandboxDir(id);
        Files.createDirectories(dir);
        rollback.add(() -> deleteTree(dir));
        Files.createDirectories(Path.of(cfg.logDirectory()));
        String netnsPath = "";
        String ip = "";
        long tNetns = System.nanoTime();
        long tCni = tNetns;
        if (cfg.namespaces().network() == NamespaceMode.POD) {
          netnsPath = netns.create(id).toString();
          rollback.add(() -> netns.remove(id));
          tNetns = System.nanoTime();
          PodNetworkRequest req = networkRequest(id, netnsPath, cfg);
          CniResult net = network.setUp(req);
          rollback.add(() -> network.tearDown(req, net.json()));
          tCni = System.nanoTime();
          ip = net.ip();
          store.updateSandboxNetwork(id, netnsPath, ip, net.json());
        } else {
          ip = nodeIp.get();
          store.updateSandboxNetwork(id, "", ip, "");
        }
        if (cfg.namespaces().ipc() == NamespaceMode.POD) {
          Path shm = dir.resolve("shm");
          Files.createDirectories(shm);
          sys.mount("shm", shm, "tmpfs", MountFlags.NOSUID | MountFlags.NODEV | MountFlags.NOEXEC, "mode=1777,size=65536k");
          rollback.add(() -> sys.umount(shm, true));
        }
        PodFiles.write(dir, cfg.namespaces().network() == NamespaceMode.POD ? cfg.hostname() : nodeHostname(), cfg.dns());
        rollback.add(() -> cgroups.remove(cgroups.podPath(id)));
        int pausePid = startPause(id, cfg, netnsPath, rollback);
        store.markSandboxReady(id, pausePid);
        LOG.log(Logger.Level.INFO, "sandbox {0} for pod {1}/{2} ready in {3} ms (netns {4} ms, CNI ADD {5} ms, ip {6})",
            id.substring(0, 12), cfg.namespace(), cfg.name(), ms(t0), (tNetns - t0) / 1_000_000,
            (tCni - tNetns) / 1_000_000, ip.isEmpty() ? "none" : ip);
        return id;
      } catch (IOException e) {
        throw rollback.undo(new InternalException("create sandbox for pod " + cfg.name() + ": " + e.getMessage(), e));
      } catch (RuntimeException e) {
        throw rollback.undo(e);
      }
    });
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static PodNetworkRequest networkRequest(String id, String netnsPath, PodSandboxConfig cfg) {
    return new PodNetworkRequest(id, netnsPath, cfg.name(), cfg.namespace(), cfg.uid(), cfg.portMappings());
  }

  private static String nodeHostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      throw new InternalException("read the node's hostname", e);
    }
  }

  private int startPause(String id, PodSandboxConfig cfg, String netnsPath, Rollback rollback) throws IOException {
    Path bundle = sandboxDir(id).resolve("pause");
    Files.createDirectories(bundle);
    Path rootfs;
    List<String> args;
    List<String> env = List.of("PATH=" + DEFAULT_PATH);
    if (config.sandboxImage().isPresent()) {
      ResolvedImage image = images.resolve(config.sandboxImage().get());
      rootfs = bundle.resolve("rootfs");
      Files.createDirectories(rootfs);
      mountSnapshot(id, image, rootfs, rollback);
      args = commandLine(image.config(), List.of(), List.of(), "sandbox image " + config.sandboxImage().get());
    } else {
      rootfs = pauseRootfs.ensure();
      args = PauseRootfs.ARGS;
    }
    List<NamespaceJoin> ns = new ArrayList<>();
    ns.add(NamespaceJoin.fresh(Namespace.MNT));
    ns.add(NamespaceJoin.fresh(Namespace.CGROUP));
    if (cfg.namespaces().network() == NamespaceMode.POD) {
      ns.add(NamespaceJoin.join(Namespace.NET, Path.of(netnsPath)));
      ns.add(NamespaceJoin.fresh(Namespace.UTS));
    }
    if (cfg.namespaces().ipc() == NamespaceMode.POD) {
      ns.add(NamespaceJoin.fresh(Namespace.IPC));
    }
    if (cfg.namespaces().pid() != NamespaceMode.NODE) {
      ns.add(NamespaceJoin.fresh(Namespace.PID));
    }
    Optional<String> hostname = cfg.namespaces().network() == NamespaceMode.POD ? Optional.of(cfg.hostname())
        : Optional.empty();
    SpecInput in = new SpecInput(args, env, "/", ProcessUser.ROOT, rootfs, true, hostname, ns, List.of(),
        cgroups.containerPath(id, id), new Resources(2, 0, 0, 0, SANDBOX_OOM_SCORE_ADJ),
        OciSpecs.capabilities(List.of(), List.of()), false);
    Files.writeString(bundle.resolve("config.json"), Json.pretty(specs.spec(in)));
    rollback.add(() -> oci.delete(id));
    int pid = conmon.create(new ConmonRequest(id, "POD", bundle, bundle.resolve("pause.log"),
        config.runRoot().resolve("exits"), socketDir(), shortId(id)));
    oci.start(id);
    return pid;
  }

  /// Stops every container of the pod, then the pause container, and tears down the network (CNI DEL,
  /// then the netns pin). Safe to repeat, and for a sandbox whose creation never finished.
  public void stopPodSandbox(String id) {
    podLocks.withLock(id, () -> {
      SandboxStatus s = store.requireSandbox(id);
      for (ContainerStatus c : store.containers(Optional.of(id))) {
        stopContainerLocked(c, Duration.ZERO);
      }
      stopPause(id);
      if (s.config().namespaces().network() == NamespaceMode.POD) {
        Path pin = netns.pinPath(id);
        String netnsPath = Files.exists(pin) ? pin.toString() : "";
        network.tearDown(networkRequest(id, netnsPath, s.config()), store.cniResult(id));
        store.updateSandboxNetwork(id, s.netnsPath(), s.ip(), "");
      }
      netns.remove(id);
      Path shm = sandboxDir(id).resolve("shm");
      if (ProcFs.HOST.mountPoints("self").contains(shm.toString())) {
        sys.umount(shm, true);
      }
      if (s.state() != SandboxState.NOTREADY) {
        store.updateSandboxState(id, SandboxState.NOTREADY);
      }
    });
  }

  private void stopPause(String id) {
    if (oci.state(id).isPresent()) {
      oci.kill(id, "KILL", false);
      awaitExit(id, KILL_WAIT);
      oci.delete(id);
    }
    Path rootfs = sandboxDir(id).resolve("pause/rootfs");
    if (ProcFs.HOST.mountPoints("self").contains(rootfs.toString())) {
      sys.umount(rootfs, true);
    }
    snapshots.remove(id);
    exits.forget(id);
  }

  /// Removes a stopped (or running: it is stopped first) sandbox and everything it holds.
  public void removePodSandbox(String id) {
    if (store.sandbox(id).isEmpty()) {
      return;
    }
    stopPodSandbox(id);
    podLocks.withLock(id, () -> {
      for (ContainerStatus c : store.containers(Optional.of(id))) {
        removeContainerLocked(c);
      }
      cgroups.remove(cgroups.podPath(id));
      deleteTree(sandboxDir(id));
      store.deleteSandbox(id);
    });
  }

  public SandboxStatus podSandboxStatus(String id) {
    return store.requireSandbox(id);
  }

  public List<SandboxStatus> listPodSandboxes() {
    return store.sandboxes();
  }

  // ---- containers --------------------------------------------------------------------------------

  /// Creates a container in a sandbox: rootfs, spec, and conmon with `create`; the process is made
  /// but not started. Returns the container id.
  public String createContainer(String sandboxId, ContainerConfig cfg) {
    return podLocks.withLock(sandboxId, () -> {
      SandboxStatus sandbox = store.requireSandbox(sandboxId);
      if (sandbox.state() != SandboxState.READY) {
        throw new FailedPreconditionException("pod sandbox " + sandboxId + " is not ready");
      }
      String id = newId();
      Rollback rollback = new Rollback();
      try {
        ResolvedImage image = images.resolve(cfg.image());
        Path bundle = containerDir(id);
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs);
        rollback.add(() -> deleteTree(bundle));
        mountSnapshot(id, image, rootfs, rollback);
        SpecInput in = containerSpec(sandbox, cfg, image, rootfs, id);
        Files.writeString(bundle.resolve("config.json"), Json.pretty(specs.spec(in)));
        Path log = Path.of(sandbox.config().logDirectory()).resolve(cfg.logPath());
        Files.createDirectories(log.getParent());
        rollback.add(() -> oci.delete(id));
        int pid = conmon.create(new ConmonRequest(id, cfg.name(), bundle, log, config.runRoot().resolve("exits"),
            socketDir(), shortId(id)));
        rollback.add(() -> exits.forget(id));
        store.insertContainer(new ContainerStatus(id, sandboxId, cfg.name(), cfg.attempt(),
            image.record().name().toString(), image.record().config().toString(), ContainerState.CREATED,
            Instant.now(), Optional.empty(), Optional.empty(), 0, "", "", pid, log.toString(), cfg.labels()),
            image.record().manifest().toString());
        return id;
      } catch (IOException e) {
        throw rollback.undo(new InternalException("create container " + cfg.name() + ": " + e.getMessage(), e));
      } catch (RuntimeException e) {
        throw rollback.undo(e);
      }
    });
  }

  private void mountSnapshot(String id, ResolvedImage image, Path rootfs, Rollback rollback) {
    Mount m = snapshots.prepare(id, image.layers(), rootfs);
    rollback.add(() -> snapshots.remove(id));
    sys.mount(m.source(), m.target(), m.type(), 0, m.data());
    rollback.add(() -> sys.umount(rootfs, true));
  }

  private SpecInput containerSpec(SandboxStatus sandbox, ContainerConfig cfg, ResolvedImage image, Path rootfs,
      String id) {
    ImageConfig ic = image.config();
    List<String> args = commandLine(ic, cfg.command(), cfg.args(), "container " + cfg.name());
    Map<String, String> env = new LinkedHashMap<>();
    // As containerd does: a default PATH, which the image's Env may replace, so a command resolves.
    env.put("PATH", DEFAULT_PATH);
    for (String e : ic.env()) {
      int eq = e.indexOf('=');
      env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    env.put("HOSTNAME", sandbox.config().hostname());
    cfg.env().forEach(e -> env.put(e.getKey(), e.getValue()));
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    String cwd = !cfg.workingDir().isEmpty() ? cfg.workingDir() : ic.workingDir();
    ProcessUser user = ProcessUser.resolve(ic.user(), cfg.security().runAsUser(), cfg.security().runAsGroup(), rootfs);

    int pausePid = sandbox.pausePid();
    var mode = sandbox.config().namespaces();
    List<NamespaceJoin> ns = new ArrayList<>();
    ns.add(NamespaceJoin.fresh(Namespace.MNT));
    ns.add(NamespaceJoin.fresh(Namespace.CGROUP));
    if (mode.network() == NamespaceMode.POD) {
      ns.add(NamespaceJoin.join(Namespace.NET, Path.of(sandbox.netnsPath())));
      ns.add(NamespaceJoin.join(Namespace.UTS, procNs(pausePid, Namespace.UTS)));
    }
    if (mode.ipc() == NamespaceMode.POD) {
      ns.add(NamespaceJoin.join(Namespace.IPC, procNs(pausePid, Namespace.IPC)));
    }
    switch (mode.pid()) {
      case POD -> ns.add(NamespaceJoin.join(Namespace.PID, procNs(pausePid, Namespace.PID)));
      case CONTAINER -> ns.add(NamespaceJoin.fresh(Namespace.PID));
      case NODE -> { }
    }
    List<BindMount> mounts = new ArrayList<>(PodFiles.mounts(sandboxDir(sandbox.id())));
    if (mode.ipc() == NamespaceMode.POD) {
      mounts.add(new BindMount(sandboxDir(sandbox.id()).resolve("shm").toString(), "/dev/shm", false));
    }
    for (VolumeMount v : cfg.mounts()) {
      mounts.add(new BindMount(v.hostPath(), v.containerPath(), v.readOnly()));
    }
    return new SpecInput(args, envList, cwd, user, rootfs, cfg.security().readOnlyRootfs(), Optional.empty(), ns,
        mounts, cgroups.containerPath(sandbox.id(), id), cfg.resources(),
        OciSpecs.capabilities(cfg.security().addCapabilities(), cfg.security().dropCapabilities()),
        cfg.security().privileged());
  }

  /// Kubernetes' rules: `command` replaces the image's Entrypoint (and drops its Cmd); `args` replace Cmd.
  static List<String> commandLine(ImageConfig image, List<String> command, List<String> args, String what) {
    List<String> out = new ArrayList<>();
    if (!command.isEmpty()) {
      out.addAll(command);
      out.addAll(args);
    } else {
      out.addAll(image.entrypoint());
      out.addAll(args.isEmpty() ? image.cmd() : args);
    }
    if (out.isEmpty()) {
      throw new InvalidArgumentException(what + " has no command: set command or args, or use an image with an"
          + " Entrypoint or Cmd");
    }
    return out;
  }

  private static Path procNs(int pid, Namespace ns) {
    return Path.of("/proc/" + pid + "/ns/" + ns.procName());
  }

  public void startContainer(String id) {
    ContainerStatus c = store.requireContainer(id);
    podLocks.withLock(c.sandboxId(), () -> {
      ContainerStatus now = store.requireContainer(id);
      if (!now.state().canStart()) {
        throw new FailedPreconditionException("container " + now.name() + " is " + now.state() + ", not CREATED");
      }
      oci.start(id);
      store.markStarted(id, Instant.now());
    });
  }

  /// Sends SIGTERM, waits up to `grace`, then SIGKILL, and waits for the exit to be recorded.
  public void stopContainer(String id, Duration grace) {
    ContainerStatus c = store.requireContainer(id);
    podLocks.withLock(c.sandboxId(), () -> stopContainerLocked(store.requireContainer(id), grace));
  }

  private void stopContainerLocked(ContainerStatus c, Duration grace) {
    if (c.state() == ContainerState.EXITED) {
      return;
    }
    if (oci.state(c.id()).isEmpty()) {
      store.markExited(c.id(), 137, Instant.now(), "Error", "container was gone when stopped");
      return;
    }
    if (!grace.isZero()) {
      oci.kill(c.id(), "TERM", false);
      if (awaitExit(c.id(), grace).isPresent()) {
        return;
      }
    }
    oci.kill(c.id(), "KILL", true);
    if (awaitExit(c.id(), KILL_WAIT).isEmpty()) {
      throw new InternalException("container " + c.name() + " (" + c.id() + ") did not exit " + KILL_WAIT.toSeconds()
          + " s after SIGKILL", null);
    }
  }

  /// Waits for conmon's exit record; the record is also stored by [#recordExit] on the watcher thread.
  private Optional<Integer> awaitExit(String id, Duration timeout) {
    try {
      int code = exits.onExit(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      recordExit(id, code, exits.exitTime(id));
      return Optional.of(code);
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new InternalException("wait for exit of " + id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted waiting for exit of " + id, e);
    }
  }

  public void removeContainer(String id) {
    Optional<ContainerStatus> c = store.container(id);
    if (c.isEmpty()) {
      return;
    }
    podLocks.withLock(c.get().sandboxId(), () -> {
      stopContainerLocked(store.requireContainer(id), Duration.ZERO);
      removeContainerLocked(store.requireContainer(id));
    });
  }

  private void removeContainerLocked(ContainerStatus c) {
    oci.delete(c.id());
    Path rootfs = containerDir(c.id()).resolve("rootfs");
    if (ProcFs.HOST.mountPoints("self").contains(rootfs.toString())) {
      sys.umount(rootfs, true);
    }
    snapshots.remove(c.id());
    deleteTree(containerDir(c.id()));
    exits.forget(c.id());
    store.deleteContainer(c.id());
  }

  public ContainerStatus containerStatus(String id) {
    return store.requireContainer(id);
  }

  public List<ContainerStatus> listContainers(Optional<String> sandboxId) {
    return store.containers(sandboxId);
  }

  /// Starts a command in a running container with pipes for stdin, stdout and stderr.
  public Process exec(String id, List<String> command) {
    ContainerStatus c = store.requireContainer(id);
    if (!c.state().canExec()) {
      throw new FailedPreconditionException("container " + c.name() + " is " + c.state() + "; exec needs RUNNING");
    }
    if (command.isEmpty()) {
      throw new InvalidArgumentException("exec needs a command");
    }
    try {
      return new ProcessBuilder(oci.execArgv(id, command, false)).start();
    } catch (IOException e) {
      throw new InternalException("exec in container " + c.name() + ": " + e.getMessage(), e);
    }
  }

  /// Starts a command in a running container on a new terminal of the given size.
  public TerminalExec execTerminal(String id, List<String> command, int rows, int columns) {
    ContainerStatus c = store.requireContainer(id);
    if (!c.state().canExec()) {
      throw new FailedPreconditionException("container " + c.name() + " is " + c.state() + "; exec needs RUNNING");
    }
    if (command.isEmpty()) {
      throw new InvalidArgumentException("exec needs a command");
    }
    return new TerminalExec(sys.spawnOnTerminal(oci.execArgv(id, command, true),
        Map.of("PATH", DEFAULT_PATH, "TERM", "xterm"), rows, columns),
        sys);
  }

  /// Called for every exit a listener should hear of (the kubelet's sync loop, say).
  public void addExitListener(Consumer<ContainerStatus> listener) {
    exitListeners.add(listener);
  }

  private void recordExit(String id, int code, Instant at) {
    Optional<ContainerStatus> c = store.container(id);
    if (c.isEmpty()) {
      store.sandbox(id).ifPresent(s -> store.updateSandboxState(id, SandboxState.NOTREADY));
      return;
    }
    boolean oom = code == 137 && cgroups.oomKilled(cgroups.containerPath(c.get().sandboxId(), id));
    String reason = oom ? "OOMKilled" : code == 0 ? "Completed" : "Error";
    if (store.markExited(id, code, at, reason, "")) {
      ContainerStatus exited = store.requireContainer(id);
      exitListeners.forEach(l -> l.accept(exited));
    }
  }

  /// After a daemon restart: record exits that happened while it was down, and mark containers whose
  /// monitor is gone without a record (a reboot) as UNKNOWN.
  private void recover() {
    for (ContainerStatus c : store.containers(Optional.empty())) {
      if (c.state() == ContainerState.EXITED) {
        continue;
      }
      Optional<Integer> code = exits.exitCode(c.id());
      if (code.isPresent()) {
        recordExit(c.id(), code.get(), exits.exitTime(c.id()));
      } else if (oci.state(c.id()).isEmpty()) {
        store.markUnknown(c.id(), "the container's monitor is gone and left no exit code");
      }
    }
    for (SandboxStatus s : store.sandboxes()) {
      if (s.state() == SandboxState.READY && !ProcFs.HOST.isAlive(s.pausePid())) {
        store.updateSandboxState(s.id(), SandboxState.NOTREADY);
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private Path sandboxDir(String id) {
    return config.runRoot().resolve("sandboxes").resolve(id);
  }

  private Path containerDir(String id) {
    return config.runRoot().resolve("containers").resolve(id);
  }

  private Path socketDir() {
    return config.runRoot().resolve("sockets");
  }

  /// conmon names its attach socket after this; a short name keeps the path under 108 bytes.
  private static String shortId(String id) {
    return id.substring(0, 16);
  }

  private String newId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new InternalException("remove " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    exits.close();
  }

  /// Exposed for the composition root's log line.
  public String describe() {
    return oci.binary().name() + " (" + oci.binary().reason() + "), cgroups " + (cgroups.unified() ? "v2" : "hybrid/v1");
  }
}
