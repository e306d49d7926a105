package io.peapod.runtime.recovery;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.io.FileTrees;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.container.ContainerExits;
import io.peapod.runtime.container.ContainerManager;
import io.peapod.runtime.container.ContainerResources;
import io.peapod.runtime.logs.LogRotator;
import io.peapod.runtime.monitor.MonitorPid;
import io.peapod.runtime.monitor.ExitWatcher;
import io.peapod.runtime.monitor.MonitorWatcher;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.monitor.PodMonitor;
import io.peapod.runtime.network.CniNetwork;
import io.peapod.runtime.network.NetnsPinner;
import io.peapod.runtime.network.PodNetworkRequest;
import io.peapod.runtime.sandbox.SandboxManager;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.Syscalls;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/// Brings the node and the database into agreement when the runtime starts, in both directions, so a
/// daemon killed at any instant comes back to a state it can finish or undo:
///
/// 1. creates a crash interrupted (rows still `creating`) are undone completely, but for a container the
///    pod monitor had already run (create and start at once), which is kept;
/// 2. OCI runtime containers no row knows are killed and deleted;
/// 3. each container not yet EXITED is either found exited (its exit file), still watched (its monitor
///    lives) or lost (monitor gone without an exit file: killed, exit 137 `ContainerStatusUnknown`); a
///    READY sandbox whose pause is gone becomes NOTREADY;
/// 4. mounts, netns pins, bundles, snapshots, exit files and cgroups no row owns are removed, and CNI
///    addresses held by sandboxes nobody knows are given back.
///
/// What the kubelet owns (pods, and sandboxes no pod owns) it reconciles itself, above this.
public final class Reconciler {
  private static final Logger LOG = System.getLogger(Reconciler.class.getName());
  private final RuntimeLayout layout;
  private final Syscalls sys;
  private final RuntimeStore store;
  private final OciRuntime oci;
  private final ExitWatcher exitFiles;
  private final MonitorWatcher monitors;
  private final LogRotator logs;
  private final ContainerExits exits;
  private final ContainerResources resources;
  private final ContainerManager containers;
  private final SandboxManager sandboxes;
  private final NetnsPinner netns;
  private final CniNetwork network;
  private final CgroupLayout cgroups;

  public Reconciler(RuntimeLayout layout, Syscalls sys, RuntimeStore store, OciRuntime oci, ExitWatcher exitFiles,
      MonitorWatcher monitors, LogRotator logs, ContainerExits exits, ContainerResources resources,
      ContainerManager containers, SandboxManager sandboxes, NetnsPinner netns, CniNetwork network,
      CgroupLayout cgroups) {
    this.layout = layout;
    this.sys = sys;
    this.store = store;
    this.oci = oci;
    this.exitFiles = exitFiles;
    this.monitors = monitors;
    this.logs = logs;
    this.exits = exits;
    this.resources = resources;
    this.containers = containers;
    this.sandboxes = sandboxes;
    this.netns = netns;
    this.network = network;
    this.cgroups = cgroups;
  }

  public void reconcile() {
    undoInterruptedCreates();
    removeUnknownOciContainers();
    settleContainers();
    settleSandboxes();
    removeUnownedMounts();
    removeUnownedFiles();
    removeUnownedCgroups();
    releaseUnownedAddresses();
  }

  private void undoInterruptedCreates() {
    for (String id : store.creatingContainers()) {
      each("undo the creation of container " + id, () -> store.container(id).ifPresent(c -> {
        if (PodMonitor.ranAtOnce(layout.containerDir(id))) {
          // A run (create and start at once) the pod monitor finished: its process ran, perhaps did its
          // work, so it is kept, not run a second time. Its row's creation time is before its start.
          LOG.log(Logger.Level.INFO, "keeping container {0} ({1}), whose run a restart interrupted", c.name(),
              id.substring(0, 12));
          store.markRunning(id, oci.state(id).map(OciRuntime.State::pid).orElse(0), c.createdAt());
          return;
        }
        LOG.log(Logger.Level.INFO, "undoing the creation of container {0} ({1}), interrupted by a restart", c.name(),
            id.substring(0, 12));
        oci.kill(id, "KILL", true);
        containers.removeLocked(c);
      }));
    }
    for (String id : store.creatingSandboxes()) {
      each("undo the creation of sandbox " + id, () -> store.sandbox(id).ifPresent(s -> {
        LOG.log(Logger.Level.INFO, "undoing the creation of sandbox {0} of pod {1}/{2}, interrupted by a restart",
            id.substring(0, 12), s.config().namespace(), s.config().name());
        sandboxes.remove(id);
      }));
    }
  }

  /// Removes the OCI runtime's containers no record owns, and finishes starts the daemon recorded but did
  /// not live to make (the record says running, the runtime still has the process waiting in `created`).
  private void removeUnknownOciContainers() {
    for (OciRuntime.State st : oci.list()) {
      each("settle " + oci.binary().name() + " container " + st.id(), () -> settleOciContainer(st));
    }
  }

  private void settleOciContainer(OciRuntime.State st) {
    Optional<ContainerStatus> c = store.container(st.id());
    if (c.isEmpty() && store.sandbox(st.id()).isEmpty()) {
      LOG.log(Logger.Level.INFO, "removing {0} container {1} that no record owns", oci.binary().name(), st.id());
      oci.kill(st.id(), "KILL", true);
      oci.delete(st.id());
    } else if (c.isPresent() && c.get().state() == ContainerState.RUNNING && st.status().equals("created")) {
      LOG.log(Logger.Level.INFO, "starting container {0} ({1}), whose start a restart interrupted", c.get().name(),
          st.id().substring(0, 12));
      oci.start(st.id());
    }
  }

  private void settleContainers() {
    for (ContainerStatus c : store.containers(Optional.empty())) {
      each("settle container " + c.id(), () -> settle(c));
    }
  }

  private void settle(ContainerStatus c) {
    if (c.state() == ContainerState.EXITED) {
      resources.release(c.id(), c.logPath());
      return;
    }
    Optional<Integer> code = exitFiles.exitCode(c.id());
    if (code.isPresent()) {
      exits.exited(c.id(), code.get(), exitFiles.exitTime(c.id()));
      return;
    }
    Optional<Integer> monitor = MonitorPid.read(layout.containerDir(c.id()));
    if (monitor.isPresent() && monitors.watch(c.id(), c.sandboxId(), monitor.get())) {
      logs.track(Path.of(c.logPath()));
    } else {
      exits.monitorGone(c.id());
    }
  }

  private void settleSandboxes() {
    for (SandboxStatus s : store.sandboxes()) {
      if (s.state() == SandboxState.READY) {
        each("settle sandbox " + s.id(), () -> settle(s));
      }
    }
  }

  private void settle(SandboxStatus s) {
    Optional<Integer> code = exitFiles.exitCode(s.id());
    if (code.isPresent()) {
      exits.exited(s.id(), code.get(), exitFiles.exitTime(s.id()));
      return;
    }
    Optional<Integer> monitor = MonitorPid.read(layout.sandboxDir(s.id()).resolve("pause"));
    if (monitor.isEmpty() || !monitors.watch(s.id(), s.id(), monitor.get())) {
      exits.monitorGone(s.id());
    }
  }

  /// Mounts under the run root whose container or sandbox is gone or ended.
  private void removeUnownedMounts() {
    String containersDir = layout.runRoot().resolve("containers") + "/";
    String sandboxesDir = layout.runRoot().resolve("sandboxes") + "/";
    String netnsDir = layout.netnsDir() + "/";
    for (String m : ProcFs.HOST.mountPoints("self")) {
      String id;
      boolean owned;
      if (m.startsWith(containersDir)) {
        id = firstComponent(m.substring(containersDir.length()));
        owned = store.container(id).filter(c -> c.state() != ContainerState.EXITED).isPresent();
      } else if (m.startsWith(sandboxesDir)) {
        id = firstComponent(m.substring(sandboxesDir.length()));
        owned = store.sandbox(id).isPresent();
      } else if (m.startsWith(netnsDir)) {
        id = firstComponent(m.substring(netnsDir.length()));
        owned = store.sandbox(id).isPresent();
        if (!owned) {
          tearDownNetwork(id, Path.of(m));
        }
      } else {
        continue;
      }
      if (!owned) {
        LOG.log(Logger.Level.INFO, "unmounting {0}, which no record owns", m);
        each("unmount " + m, () -> sys.umountIfMounted(Path.of(m)));
      }
    }
  }

  private void tearDownNetwork(String sandboxId, Path pin) {
    try {
      network.tearDown(new PodNetworkRequest(sandboxId, pin.toString(), "", "", "", List.of()), "");
    } catch (PeapodException e) {
      LOG.log(Logger.Level.WARNING, "CNI DEL for unknown sandbox " + sandboxId + " failed: " + e.getMessage());
    }
  }

  private static String firstComponent(String rest) {
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private void removeUnownedFiles() {
    for (Path p : list(layout.runRoot().resolve("containers"))) {
      if (store.container(name(p)).isEmpty()) {
        each("remove " + p, () -> delete(p));
      }
    }
    for (Path p : list(layout.runRoot().resolve("sandboxes"))) {
      if (store.sandbox(name(p)).isEmpty()) {
        each("remove " + p, () -> delete(p));
      }
    }
    for (Path p : list(layout.netnsDir())) {
      if (store.sandbox(name(p)).isEmpty()) {
        each("remove netns pin " + p, () -> netns.remove(name(p)));
      }
    }
    for (Path p : list(layout.snapshots())) {
      if (store.container(name(p)).isEmpty() && store.sandbox(name(p)).isEmpty()) {
        each("remove " + p, () -> delete(p));
      }
    }
    for (Path p : list(layout.exitDir())) {
      if (store.container(name(p)).isEmpty() && store.sandbox(name(p)).isEmpty()) {
        each("remove " + p, () -> delete(p));
      }
    }
    // conmon's links to bundles: one whose bundle is gone belonged to a container removed before links were.
    for (Path p : list(layout.socketDir())) {
      if (!Files.exists(p)) {
        each("remove " + p, () -> delete(p));
      }
    }
  }

  private void removeUnownedCgroups() {
    for (Map.Entry<String, String> pod : cgroups.podCgroups().entrySet()) {
      String sandboxId = pod.getKey();
      String podPath = pod.getValue();
      if (store.sandbox(sandboxId).isEmpty()) {
        LOG.log(Logger.Level.INFO, "removing pod cgroup {0}, which no sandbox owns", podPath);
        each("remove pod cgroup " + sandboxId, () -> cgroups.remove(podPath, sys));
        continue;
      }
      for (String containerId : cgroups.containerIds(podPath)) {
        boolean live = containerId.equals(sandboxId) || store.container(containerId)
            .filter(c -> c.state() != ContainerState.EXITED).isPresent();
        if (!live) {
          each("remove container cgroup " + containerId, () -> cgroups.remove(cgroups.containerPath(podPath,
              containerId), sys));
        }
      }
    }
  }

  private void releaseUnownedAddresses() {
    Set<String> known = new HashSet<>();
    store.sandboxes().forEach(s -> known.add(s.id()));
    for (String holder : network.leaseHolders()) {
      if (!known.contains(holder)) {
        LOG.log(Logger.Level.INFO, "giving back the pod address held by unknown sandbox {0}", holder);
        tearDownNetwork(holder, Path.of(""));
      }
    }
  }

  /// One object's repair. A failure is logged and the rest goes on: one object the daemon cannot repair
  /// must not keep it from starting (and serving the delete that may remove that object).
  private static void each(String what, Runnable repair) {
    try {
      repair.run();
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.WARNING, "could not " + what + " at start; going on without it", e);
    }
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      throw new InternalException("list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path p) {
    try {
      FileTrees.delete(p);
    } catch (IOException e) {
      throw new InternalException("remove " + p + ": " + e.getMessage(), e);
    }
  }
}
