package io.peapod.runtime;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.image.ImageService;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerRun;
import io.peapod.runtime.attach.AttachManager;
import io.peapod.runtime.api.ContainerEvent;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.ExecResult;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.cgroup.PodCgroups;
import io.peapod.runtime.api.TerminalSize;
import io.peapod.runtime.cgroup.CgroupKill;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.cgroup.CgroupStats;
import io.peapod.runtime.api.ContainerStats;
import io.peapod.runtime.container.ContainerExits;
import io.peapod.runtime.container.ContainerManager;
import io.peapod.runtime.container.ContainerResources;
import io.peapod.runtime.container.ContainerSpecs;
import io.peapod.runtime.exec.ExecManager;
import io.peapod.runtime.logs.LogRotator;
import io.peapod.runtime.monitor.Conmon;
import io.peapod.runtime.monitor.ContainerMonitors;
import io.peapod.runtime.monitor.PodMonitor;
import io.peapod.runtime.monitor.ExitWatcher;
import io.peapod.runtime.monitor.MonitorWatcher;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.network.CniNetwork;
import io.peapod.runtime.network.NetnsPinner;
import io.peapod.runtime.oci.OciSpecs;
import io.peapod.runtime.recovery.Reconciler;
import io.peapod.runtime.sandbox.PauseContainer;
import io.peapod.runtime.sandbox.SandboxManager;
import io.peapod.runtime.snapshot.OverlaySnapshotter;
import io.peapod.runtime.snapshot.RootMounter;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.Syscalls;
import io.peapod.sys.proc.ProcFs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/// The [RuntimeService] of a node: monitors (one per pod, conmon for interactive containers) over an
/// OCI runtime (runc or crun), overlay snapshots, cgroups, pinned network namespaces and CNI. This class only wires the parts and answers
/// the interface; each concern has its own package (`sandbox`, `container`, `exec`, `monitor`,
/// `recovery`). Work on one sandbox is serialized; different pods proceed in parallel. Constructing it
/// reconciles the node with the state database ([Reconciler]) before anything else runs.
public final class ConmonRuntime implements RuntimeService, AutoCloseable {
  private final RuntimeStore store;
  private final OciRuntime oci;
  private final CgroupLayout cgroups;
  private final PodCgroups podCgroups;
  private final RuntimeEvents events;
  private final ExitWatcher exitFiles;
  private final MonitorWatcher monitors;
  private final LogRotator logs;
  private final ExecutorService exitHandlers = Executors.newVirtualThreadPerTaskExecutor();
  private final ContainerMonitors monitor;
  private final ContainerManager containers;
  private final SandboxManager sandboxes;
  private final ExecManager execs;
  private final AttachManager attaches;
  private final StartActivity starts = new StartActivity();

  public ConmonRuntime(RuntimeConfig config, Syscalls sys, ImageService images, RuntimeStore store, OciRuntime oci,
      Path conmonBinary, Optional<Path> podMonitorBinary, OciSpecs specs, CgroupLayout cgroups, CniNetwork network, Supplier<String> nodeIp) {
    this.store = store;
    this.oci = oci;
    this.cgroups = cgroups;
    this.podCgroups = new PodCgroups(cgroups);
    RuntimeLayout layout = new RuntimeLayout(config.stateRoot(), config.runRoot());
    layout.prepare();
    KeyedLock<String> locks = new KeyedLock<>();
    this.events = new RuntimeEvents(store);
    this.logs = new LogRotator(config.logMaxFiles(), Clock.systemUTC());
    this.monitor = new ContainerMonitors(layout, new Conmon(conmonBinary, oci, sys),
        podMonitorBinary.map(b -> new PodMonitor(b, oci, sys)));
    OverlaySnapshotter snapshots = new OverlaySnapshotter(layout.snapshots());
    this.exitFiles = new ExitWatcher(layout.exitDir());
    this.monitors = new MonitorWatcher(sys, ProcFs.HOST);
    CgroupKill kills = new CgroupKill(cgroups, sys);
    ContainerResources resources = new ContainerResources(layout, sys, oci, snapshots, monitors, exitFiles, logs);
    ContainerExits exits = new ContainerExits(store, cgroups, oci, exitFiles, resources, events, locks);
    // Exits are handled off the watcher threads: recording one runs the OCI runtime.
    exitFiles.start((id, code, at) -> exitHandlers.submit(() -> exits.exited(id, code, at)));
    monitors.start(id -> exitHandlers.submit(() -> exits.monitorGone(id)));
    RootMounter roots = new RootMounter(oci.binary().name(), sys);
    this.containers = new ContainerManager(layout, images, store, oci, monitor, specs,
        new ContainerSpecs(layout, cgroups, sys), snapshots, roots, exitFiles, monitors, logs, config.logMaxBytes(),
        resources, exits, events, locks, kills);
    NetnsPinner netns = new NetnsPinner(sys, layout.netnsDir());
    PauseContainer pause = new PauseContainer(layout, sys, images, config.sandboxImage(), snapshots, roots, specs,
        cgroups, monitor, oci, exitFiles, monitors, kills);
    this.sandboxes = new SandboxManager(layout, sys, store, netns, network, nodeIp, cgroups, pause, containers, events,
        locks, config.sandboxPool(), config.poolCgroupParents(), starts);
    this.execs = new ExecManager(store, oci, sys, config.runRoot().resolve("exec"));
    this.attaches = new AttachManager(layout, store, monitor, sys);
    new Reconciler(layout, sys, store, oci, exitFiles, monitors, logs, exits, resources, containers, sandboxes, netns,
        network, cgroups).reconcile();
    sandboxes.startPool();
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config) {
    return starts.during(() -> sandboxes.run(config));
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    sandboxes.stop(sandboxId);
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    sandboxes.remove(sandboxId);
  }

  @Override
  public SandboxStatus podSandboxStatus(String sandboxId) {
    SandboxStatus s = store.requireSandbox(sandboxId);
    if (SandboxManager.pooled(s)) {
      throw new NotFoundException("sandbox " + sandboxId + " not found");
    }
    return s;
  }

  @Override
  public List<SandboxStatus> listPodSandboxes(Optional<String> podUid) {
    return podUid.isPresent() ? store.sandboxesOf(podUid.get())
        : store.sandboxes().stream().filter(s -> !SandboxManager.pooled(s)).toList();
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config) {
    return starts.during(() -> containers.create(sandboxId, config));
  }

  /// The pod monitor creates and starts at once (`runc run`): one runtime process fewer a container.
  @Override
  public ContainerRun runContainer(String sandboxId, ContainerConfig config) {
    return starts.during(() -> containers.run(sandboxId, config));
  }

  @Override
  public void startContainer(String containerId) {
    starts.during(() -> {
      containers.start(containerId);
      return null;
    });
  }

  @Override
  public void stopContainer(String containerId, Duration timeout) {
    containers.stop(containerId, timeout);
  }

  @Override
  public void removeContainer(String containerId) {
    containers.remove(containerId);
  }

  @Override
  public ContainerStatus containerStatus(String containerId) {
    return store.requireContainer(containerId);
  }

  @Override
  public ContainerStats containerStats(String containerId) {
    ContainerStatus c = store.requireContainer(containerId);
    SandboxStatus s = store.sandbox(c.sandboxId()).orElseThrow(() -> new NotFoundException("sandbox of container "
        + containerId + " not found"));
    return CgroupStats.read(cgroups, cgroups.containerPath(cgroups.podPath(s.config().cgroupParent(), s.id()),
        containerId), containerId);
  }

  @Override
  public void updateContainerResources(String containerId, Resources resources) {
    ContainerStatus c = store.requireContainer(containerId);
    if (c.state() == ContainerState.EXITED) {
      throw new FailedPreconditionException("container " + containerId + " has exited; its resources cannot change");
    }
    SandboxStatus s = store.sandbox(c.sandboxId()).orElseThrow(() -> new NotFoundException("sandbox of container "
        + containerId + " not found"));
    podCgroups.update(cgroups.containerPath(cgroups.podPath(s.config().cgroupParent(), s.id()),
        containerId), resources);
  }

  @Override
  public List<ContainerStatus> listContainers(Optional<String> sandboxId) {
    return store.containers(sandboxId);
  }

  @Override
  public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    return execs.execSync(containerId, command, timeout);
  }

  @Override
  public ExecProcess exec(String containerId, List<String> command, Optional<TerminalSize> tty) {
    return execs.exec(containerId, command, tty);
  }

  @Override
  public ExecProcess attach(String containerId, boolean stdin, Optional<TerminalSize> tty) {
    return attaches.attach(containerId, stdin, tty);
  }

  @Override
  public void reopenContainerLog(String containerId) {
    containers.reopenLog(containerId);
  }

  @Override
  public AutoCloseable subscribe(Consumer<ContainerEvent> listener) {
    return events.subscribe(listener);
  }

  /// For the daemon's first log line and `peapod version`.
  public String describe() {
    return oci.binary().name() + " (" + oci.binary().reason() + "), cgroups "
        + (cgroups.unified() ? "v2" : "hybrid/v1");
  }

  @Override
  public void close() {
    sandboxes.closePool();
    exitFiles.close();
    monitors.close();
    monitor.close();
    logs.close();
    exitHandlers.close();
  }
}
