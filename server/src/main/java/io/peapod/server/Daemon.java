package io.peapod.server;

import io.peapod.base.concurrent.SystemTimers;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.image.ImageService;
import io.peapod.image.content.LocalContentStore;
import io.peapod.image.registry.RegistryConfig;
import io.peapod.image.ref.Digest;
import io.peapod.image.store.ImageStore;
import io.peapod.base.api.v1.Version;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.server.api.ContainerLogs;
import io.peapod.server.metrics.NodeMetrics;
import io.peapod.image.store.ImageUsers;
import io.peapod.image.unpack.LayerStore;
import io.peapod.image.unpack.LayerUnpacker;
import io.peapod.controllers.Controllers;
import io.peapod.controllers.pods.KubeletPods;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.KubeletConfig;
import io.peapod.kubelet.image.ImageSource;
import io.peapod.kubelet.podspec.PodResources;
import io.peapod.kubelet.podspec.PodResources.Qos;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.podspec.NodeSecurity;
import io.peapod.runtime.ConmonRuntime;
import io.peapod.runtime.RuntimeConfig;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.monitor.OciRuntimeBinary;
import io.peapod.runtime.monitor.RuntimeSelector;
import io.peapod.runtime.network.CniConfig;
import io.peapod.runtime.network.CniExec;
import io.peapod.runtime.network.CniNetwork;
import io.peapod.runtime.network.PodMasquerade;
import io.peapod.runtime.network.NodeAddress;
import io.peapod.runtime.oci.HostDevices;
import io.peapod.runtime.oci.HostLimits;
import io.peapod.runtime.oci.OciSpecs;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.server.api.ApiErrors;
import io.peapod.server.api.ApiRoutes;
import io.peapod.server.grpc.GrpcHealthChecks;
import io.peapod.server.http.UnixHttpServer;
import io.peapod.server.stream.CriEndpoint;
import io.peapod.server.web.WebServer;
import io.peapod.state.Database;
import io.peapod.sys.Syscalls;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/// The composition root: builds every component with plain constructors, bottom layer first, so a
/// reader can follow each object from here. Closing it stops serving; containers keep running.
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Daemon.class.getName());
  /// How often every workload is synced and garbage collected, whatever was or was not noticed.
  private static final Duration CONTROLLER_RESYNC = Duration.ofSeconds(10);
  public static final String VERSION = "0.2.0";

  private final FileChannel lockFile;
  private final FileLock lock;
  private final Database db;
  private final ConmonRuntime runtime;
  private final SystemTimers timers = new SystemTimers("kubelet-timers");
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final Kubelet kubelet;
  private final Controllers controllers;
  private final UnixHttpServer server;
  private final Optional<WebServer> web;
  private final Optional<CriEndpoint> cri;
  private final CniNetwork network;
  private final Optional<PodMasquerade> masquerade;

  private Daemon(DaemonConfig c) throws IOException {
    Syscalls sys = Syscalls.linux();
    // Whatever the daemon makes without naming a mode is root's alone; what containers must read is
    // given its mode explicitly where it is made.
    sys.umask(0077);
    FileModes.enforce(c.stateRoot(), c.runRoot(), c.logRoot());
    lockFile = FileChannel.open(c.stateRoot().resolve("daemon.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockFile.tryLock();
    if (lock == null) {
      lockFile.close();
      throw new FailedPreconditionException("another peapod daemon uses state root " + c.stateRoot());
    }
    db = Database.open(c.stateRoot().resolve("peapod.db"));
    FileModes.enforce(c.stateRoot(), c.runRoot(), c.logRoot());

    LocalContentStore content = new LocalContentStore(c.stateRoot().resolve("content"));
    LayerStore layers = new LayerStore(c.stateRoot().resolve("layers"), new LayerUnpacker(sys), sys);
    RuntimeStore runtimeStore = new RuntimeStore(db);
    ImageService images = new ImageService(content, new ImageStore(db), layers, c.stateRoot().resolve("tmp"),
        RegistryConfig.load(c.registriesConfig()), runtimeStore::manifestsInUse);
    NodeMetrics metrics = new NodeMetrics(Clock.systemUTC());
    images.addPullObserver((reference, bytes, took) -> metrics.pulled(bytes, took));

    CgroupLayout cgroups = CgroupLayout.detect(c.cgroupParent(), Path.of("/proc/self/mountinfo"));
    OciRuntimeBinary binary = RuntimeSelector.select(c.ociRuntime(), cgroups.unified());
    OciRuntime oci = new OciRuntime(binary, c.runRoot().resolve("runc"));
    Path conmon = RuntimeSelector.find("conmon").orElseThrow(() -> new FailedPreconditionException(
        "conmon is not installed; install it (apt-get install conmon)"));
    HostLimits limits = HostLimits.detect(ProcFs.HOST);
    logClamps(limits);
    CniConfig cni = CniConfig.load(c.cniConfDir(), new CniConfig.Defaults(c.cniNetwork(), c.cniBridge(), c.podCidr(),
        c.stateRoot().resolve("cni/networks")));
    RuntimeConfig rc = new RuntimeConfig(c.stateRoot(), c.runRoot(), c.cgroupParent(), c.ociRuntime(), c.sandboxImage(),
        c.containerLogMaxSize(), c.containerLogMaxFiles(), poolSize(c, cni),
        // BestEffort first: pods without requests are the common case; the pool turns to another class
        // when pods of it come.
        Stream.of(Qos.BEST_EFFORT, Qos.BURSTABLE, Qos.GUARANTEED).map(PodResources::cgroupParent).toList());
    LOG.log(Logger.Level.INFO, "pod network {0} from {1}", cni.name(), cni.source());
    masquerade = cni.masqueradedSubnet().map(subnet -> new PodMasquerade(subnet, cni.name()));
    network = new CniNetwork(cni, new CniExec(c.cniBinDirs()), metrics.cni());
    Supplier<String> nodeIp = NodeAddress.cached(() -> NodeAddress.primary(Path.of("/proc/net/route")),
        Duration.ofSeconds(10), System::nanoTime);
    runtime = new ConmonRuntime(rc, sys, images, runtimeStore, oci, conmon, podMonitor(c.podMonitor()),
        new OciSpecs(limits, () -> HostDevices.list(Path.of("/dev")), cgroups.unified()), cgroups,
        network, nodeIp);
    RuntimeService timedRuntime = metrics.timed(runtime);

    DataStore data = new DataStore(db);
    kubelet = new Kubelet(new KubeletConfig(c.stateRoot().resolve("pods"), c.logRoot(), c.backOff(), c.maxBackOff(), memTotal(),
        nodeName(), Optional.of(c.podManifestPath()), Path.of("/etc/resolv.conf"), Path.of("/etc/hosts"), nodeIp,
        new NodeSecurity(c.seccompDefault(), c.seccompProfileRoot(), c.allowedUnsafeSysctls(),
            Optional.of("user namespaces need idmapped mounts in the OCI runtime (runc 1.2 or later); " + binary.name()
                + " here has none"))), timedRuntime,
        ImageSource.of(images), data, db, sys, new GrpcHealthChecks(), timers, Clock.systemUTC(), work);
    images.addUsers(new ImageUsers() {
      @Override
      public Set<Digest> manifestsInUse() {
        return Set.of();
      }

      @Override
      public Set<String> referencesInUse() {
        return kubelet.imagesInUse();
      }
    });
    kubelet.watch(metrics.podStarts());
    kubelet.start();
    controllers = new Controllers(new KubeletPods(kubelet), db, timers, Clock.systemUTC(), c.backOff(),
        CONTROLLER_RESYNC);
    controllers.start();
    Version version = new Version(VERSION, binary.name(), binary.reason(), cgroups.unified() ? "v2" : "hybrid",
        c.stateRoot().toString());
    server = new UnixHttpServer(c.socket(), c.socketMode(),
        new ApiRoutes(kubelet, controllers, images, timedRuntime, version, sys),
        ApiErrors::toResponse, new UnixHttpServer.Limits(c.maxConnections(), Duration.ofSeconds(10),
            Duration.ofSeconds(60)));
    web = c.web().map(address -> new WebServer(address, kubelet,
        c.webLogs() ? Optional.of(new ContainerLogs(kubelet, timedRuntime)) : Optional.empty(), metrics));
    List<String> cniPlugins = cni.plugins().stream().map(p -> p.get("type").text("")).toList();
    cri = c.criSocket().map(socket -> new CriEndpoint(socket, c.streamingAddress(), timedRuntime, images, sys,
        c.logRoot(), c.stateRoot(), cniPlugins, c.cniBinDirs(), VERSION));
    // Last, when nothing can fail any more: a start that fails leaves no rule behind. Pods made
    // meanwhile reach out a few milliseconds later.
    masquerade.ifPresent(PodMasquerade::ensure);
    LOG.log(Logger.Level.INFO, "peapod {0} serving {1}; OCI runtime {2}", VERSION, c.socket(), runtime.describe());
  }

  public static Daemon start(DaemonConfig c) {
    try {
      return new Daemon(c);
    } catch (IOException e) {
      throw new InternalException("start daemon: " + e.getMessage(), e);
    }
  }

  /// The sandbox pool only on peapod's own network: another config's plugins may tie a pod's address or
  /// policy to its name (Calico, Cilium), which a sandbox made before its pod cannot give them.
  private static int poolSize(DaemonConfig c, CniConfig cni) {
    if (c.sandboxPool() > 0 && !cni.peapodDefault()) {
      LOG.log(Logger.Level.INFO, "no sandbox pool: the pod network comes from {0}, not peapod''s own default",
          cni.source());
      return 0;
    }
    return c.sandboxPool();
  }

  /// peapod-podmon, one monitor per pod: the build puts it next to the daemon's jar (or its classes).
  private static Optional<Path> podMonitor(String flag) {
    if (flag.equals("off")) {
      LOG.log(Logger.Level.INFO, "pod monitor off: conmon monitors every container");
      return Optional.empty();
    }
    if (!flag.equals("auto")) {
      Path given = Path.of(flag);
      if (!Files.isExecutable(given)) {
        throw new FailedPreconditionException("--pod-monitor " + given + " is not an executable file; build it with"
            + " scripts/build.sh, or pass --pod-monitor=off to use conmon for every container");
      }
      return Optional.of(given);
    }
    try {
      Path code = Path.of(Daemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path found = code.getParent().resolve("peapod-podmon");
      if (Files.isExecutable(found)) {
        return Optional.of(found);
      }
      LOG.log(Logger.Level.WARNING, "no pod monitor at {0} (scripts/build.sh makes it): conmon monitors every"
          + " container, three processes per pod instead of one", found);
      return Optional.empty();
    } catch (java.net.URISyntaxException e) {
      throw new InternalException("locate the daemon's code: " + e.getMessage(), e);
    }
  }

  private static void logClamps(HostLimits limits) {
    if (limits.clampsNofile()) {
      LOG.log(Logger.Level.INFO, "container rlimits clamped to the hard limits of this host: nofile {0}, nproc {1}"
          + " (raising them needs CAP_SYS_RESOURCE)", limits.nofile(), limits.nproc());
    }
    if (limits.minOomScoreAdj() > -1000) {
      LOG.log(Logger.Level.INFO, "oom_score_adj below {0} is clamped to {0}: the daemon lacks CAP_SYS_RESOURCE",
          limits.minOomScoreAdj());
    }
  }

  private static long memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new InternalException("read /proc/meminfo", e);
    }
    return 1L << 30;
  }

  /// The node's name, as kubelet takes it: the hostname, lowercased.
  private static String nodeName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(java.util.Locale.ROOT);
    } catch (IOException e) {
      throw new InternalException("read the node's hostname", e);
    }
  }

  @Override
  public void close() {
    web.ifPresent(WebServer::close);
    cri.ifPresent(CriEndpoint::close);
    server.close();
    controllers.close();
    kubelet.close();
    timers.close();
    runtime.close();
    // Pods that outlive the daemon still send through the rule; only a network nobody uses loses it.
    masquerade.filter(m -> network.leaseHolders().isEmpty()).ifPresent(PodMasquerade::remove);
    work.shutdownNow();
    db.close();
    try {
      lock.release();
      lockFile.close();
    } catch (IOException e) {
      throw new InternalException("release state lock", e);
    }
  }
}
