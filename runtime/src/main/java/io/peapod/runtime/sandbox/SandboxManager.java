package io.peapod.runtime.sandbox;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.InternalException;
import io.peapod.base.io.FileTrees;
import io.peapod.runtime.Rollback;
import io.peapod.runtime.RuntimeEvents;
import io.peapod.runtime.RuntimeIds;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.StartActivity;
import io.peapod.runtime.api.ContainerEvent;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.cgroup.PodCgroups;
import io.peapod.runtime.container.ContainerManager;
import io.peapod.runtime.container.ContainerResources;
import io.peapod.runtime.logs.LogRotator;
import io.peapod.runtime.network.CniNetwork;
import io.peapod.runtime.network.NetnsPinner;
import io.peapod.runtime.network.PodNetworkRequest;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.MountFlags;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/// RunPodSandbox, StopPodSandbox and RemovePodSandbox. A sandbox is a pinned netns set up by CNI, a
/// tmpfs for /dev/shm, the files every container mounts (hostname, resolv.conf) and the pause
/// container. Its row is written first and marked whole last, so a crash part-way is undone at start.
public final class SandboxManager {
  private static final Logger LOG = System.getLogger(SandboxManager.class.getName());
  /// How long pod starts must have been quiet before the pool makes a sandbox: it would take the CPU
  /// from them (the helper processes are the work). A pod's containers start in the sync that gave it its
  /// sandbox, a few ms later; a longer wait lets pods that come one after another drain the pool.
  private static final Duration POOL_QUIET = Duration.ofMillis(10);
  private final RuntimeLayout layout;
  private final Syscalls sys;
  private final RuntimeStore store;
  private final NetnsPinner netns;
  private final CniNetwork network;
  private final Supplier<String> nodeIp;
  private final CgroupLayout cgroups;
  private final PodCgroups podCgroups;
  private final PauseContainer pause;
  private final ContainerManager containers;
  private final RuntimeEvents events;
  private final KeyedLock<String> sandboxLocks;
  private final SandboxPool pool;
  private final SandboxAdoption adoption;

  /// `poolSize` sandboxes are kept ready for pods whose cgroup parent is one of `poolCgroupParents` (the
  /// first until a pod that fits asks for another); see [SandboxPool].
  public SandboxManager(RuntimeLayout layout, Syscalls sys, RuntimeStore store, NetnsPinner netns, CniNetwork network,
      Supplier<String> nodeIp, CgroupLayout cgroups, PauseContainer pause, ContainerManager containers,
      RuntimeEvents events, KeyedLock<String> sandboxLocks, int poolSize, List<String> poolCgroupParents,
      StartActivity starts) {
    this.layout = layout;
    this.sys = sys;
    this.store = store;
    this.netns = netns;
    this.network = network;
    this.nodeIp = nodeIp;
    this.cgroups = cgroups;
    this.podCgroups = new PodCgroups(cgroups);
    this.pause = pause;
    this.containers = containers;
    this.events = events;
    this.sandboxLocks = sandboxLocks;
    this.adoption = new SandboxAdoption(layout, sys, store, cgroups, podCgroups, sandboxLocks, this::remove);
    this.pool = new SandboxPool(poolSize, poolCgroupParents, new SandboxPool.Maker() {
      @Override
      public void awaitQuiet() {
        starts.awaitQuiet(POOL_QUIET);
      }

      @Override
      public String make(PodSandboxConfig config) {
        return SandboxManager.this.make(config);
      }

      @Override
      public void remove(String id) {
        SandboxManager.this.remove(id);
      }

      @Override
      public List<SandboxStatus> all() {
        return store.sandboxes();
      }

      @Override
      public boolean ready(String id) {
        return store.sandbox(id).filter(s -> s.state() == SandboxState.READY).isPresent();
      }
    });
  }

  /// Removes the pool a dead daemon left and starts making a new one; after the node was reconciled.
  public void startPool() {
    pool.start();
  }

  /// Stops the pool and removes its sandboxes.
  public void closePool() {
    pool.close();
  }

  /// Whether a sandbox is one of the pool's, which no listing shows.
  public static boolean pooled(SandboxStatus s) {
    return SandboxPool.pooled(s);
  }

  public String run(PodSandboxConfig cfg) {
    String id = pool.take(cfg).filter(pooled -> adoption.adopt(pooled, cfg)).orElseGet(() -> make(cfg));
    events.sandbox(ContainerEvent.Type.CREATED, id, cfg.uid());
    events.sandbox(ContainerEvent.Type.STARTED, id, cfg.uid());
    return id;
  }

  /// A new sandbox, made under its own lock (for a pod, or for the pool).
  private String make(PodSandboxConfig cfg) {
    String id = RuntimeIds.newId();
    sandboxLocks.withLock(id, () -> runLocked(id, cfg));
    return id;
  }

  private void runLocked(String id, PodSandboxConfig cfg) {
    long t0 = System.nanoTime();
    Rollback rollback = new Rollback();
    try {
      store.insertSandbox(new SandboxStatus(id, cfg, SandboxState.NOTREADY, Instant.now(), "", 0, ""));
      rollback.add(() -> store.deleteSandbox(id));
      Path dir = layout.sandboxDir(id);
      rollback.add(() -> deleteTree(dir));
      String podCgroup = cgroups.podPath(cfg.cgroupParent(), id);
      rollback.add(() -> {
        cgroups.remove(podCgroup, sys);
        podCgroups.removeEmptyParents(podCgroup);
      });
      podCgroups.createPod(podCgroup, cfg.podResources());
      // Undone one by one: a CNI DEL that fails (a broken network config fails DEL as it failed ADD)
      // must not keep the netns pin or the shm mount. A stop, unlike this, keeps the pin for a retry.
      rollback.add(() -> netns.remove(id));
      rollback.add(() -> sys.umountIfMounted(layout.sandboxDir(id).resolve("shm")));
      rollback.add(() -> release(id, cfg));
      Files.createDirectories(dir);
      if (!cfg.logDirectory().isEmpty()) {
        LogRotator.createDirectories(Path.of(cfg.logDirectory()));
      }
      String netnsPath = "";
      long tNetns = System.nanoTime();
      Optional<NetworkSetUp> net = Optional.empty();
      String ip = "";
      if (cfg.namespaces().network() == NamespaceMode.POD) {
        netnsPath = netns.create(id).toString();
        store.updateSandboxNetwork(id, netnsPath, "", "");
        tNetns = System.nanoTime();
        String pin = netnsPath;
        net = Optional.of(new NetworkSetUp(network, networkRequest(id, netnsPath, cfg),
            r -> store.updateSandboxNetwork(id, pin, r.ip(), r.json())));
        if (!cfg.sysctls().isEmpty()) {
          // runc writes the pod's sysctls into the netns as pause starts; a per-interface one (a
          // net.ipv4.conf.eth0.*) needs the interface CNI makes, so CNI goes first, as containerd does it.
          net.get().join();
        }
      } else {
        ip = nodeIp.get();
        store.updateSandboxNetwork(id, "", ip, "");
      }
      if (cfg.namespaces().ipc() == NamespaceMode.POD) {
        Path shm = dir.resolve("shm");
        Files.createDirectories(shm);
        sys.mount("shm", shm, "tmpfs", MountFlags.NOSUID | MountFlags.NODEV | MountFlags.NOEXEC, "mode=1777,size=65536k");
      }
      PodFiles.write(dir, cfg.namespaces().network() == NamespaceMode.POD ? cfg.hostname() : nodeHostname(), cfg.dns());
      // The netns is peapod's own pin, so the pause container can join it while CNI is still adding the
      // pod's interface; the sandbox is ready only when both are done.
      int pausePid;
      try {
        pausePid = pause.start(id, cfg, netnsPath, rollback);
      } finally {
        net.ifPresent(NetworkSetUp::awaitQuietly);
      }
      long tCni = net.map(NetworkSetUp::finishedAt).orElse(tNetns);
      if (net.isPresent()) {
        ip = net.get().join().ip();
      }
      if (!pause.watch(id)) {
        throw new InternalException("the pause container of pod " + cfg.name() + " ended as it started", null);
      }
      store.markSandboxReady(id, pausePid);
      LOG.log(Logger.Level.INFO, "sandbox {0} for {1} ready in {2} ms (netns {3} ms, CNI ADD {4} ms, ip {5})",
          id.substring(0, 12), cfg.uid().isEmpty() ? "the pool" : "pod " + cfg.namespace() + "/" + cfg.name(), ms(t0),
          (tNetns - t0) / 1_000_000,
          Math.max(0, tCni - tNetns) / 1_000_000, ip.isEmpty() ? "none" : ip);
    } catch (IOException e) {
      throw rollback.undo(new InternalException("create sandbox for pod " + cfg.name() + ": " + e.getMessage(), e));
    } catch (RuntimeException e) {
      throw rollback.undo(e);
    }
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

  /// Stops the sandbox's containers (at once, side by side), then the pause container, and tears the
  /// network down. Safe to repeat, and for a sandbox whose creation never finished.
  public void stop(String id) {
    Optional<SandboxStatus> s = store.sandbox(id);
    if (s.isEmpty() || stopped(s.get())) {
      return;
    }
    stopContainers(id);
    sandboxLocks.withLock(id, () -> {
      release(id, s.get().config());
      if (s.get().state() != SandboxState.NOTREADY) {
        store.updateSandboxState(id, SandboxState.NOTREADY);
        events.sandbox(ContainerEvent.Type.STOPPED, id, s.get().podUid());
      }
    });
  }

  /// Stopped already: not ready, its network given back (no CNI result kept, no netns pin) and no
  /// container running. Kept cheap: a finished pod's sandbox is asked to stop on every sync.
  private boolean stopped(SandboxStatus s) {
    return s.state() == SandboxState.NOTREADY && store.cniResult(s.id()).isEmpty()
        && !Files.exists(netns.pinPath(s.id())) && store.containers(Optional.of(s.id())).stream()
            .allMatch(c -> c.state() == ContainerState.EXITED);
  }

  private void stopContainers(String id) {
    List<ContainerStatus> running = store.containers(Optional.of(id)).stream()
        .filter(c -> c.state() != ContainerState.EXITED).toList();
    if (running.isEmpty()) {
      return;
    }
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      running.forEach(c -> ex.submit(() -> containers.stop(c.id(), Duration.ZERO)));
    }
  }

  /// What a sandbox holds besides its containers and its row: pause, network, netns pin, shm.
  private void release(String id, PodSandboxConfig cfg) {
    pause.stop(id, cfg.cgroupParent());
    if (cfg.namespaces().network() == NamespaceMode.POD) {
      String netnsPath = netns.pinned(id) ? netns.pinPath(id).toString() : "";
      network.tearDown(networkRequest(id, netnsPath, cfg), store.cniResult(id));
      store.updateSandboxNetwork(id, store.sandbox(id).map(SandboxStatus::netnsPath).orElse(""),
          store.sandbox(id).map(SandboxStatus::ip).orElse(""), "");
    }
    netns.remove(id);
    sys.umountIfMounted(layout.sandboxDir(id).resolve("shm"));
  }

  /// Stops the sandbox, then removes its containers, its cgroup (killing anything left in it) and its files.
  public void remove(String id) {
    Optional<SandboxStatus> s = store.sandbox(id);
    if (s.isEmpty()) {
      return;
    }
    stop(id);
    sandboxLocks.withLock(id, () -> {
      for (ContainerStatus c : store.containers(Optional.of(id))) {
        containers.removeLocked(c);
      }
      String podCgroup = cgroups.podPath(s.get().config().cgroupParent(), id);
      cgroups.remove(podCgroup, sys);
      podCgroups.rebalance(podCgroup.substring(0, podCgroup.lastIndexOf('/')));
      podCgroups.removeEmptyParents(podCgroup);
      deleteTree(layout.sandboxDir(id));
      ContainerResources.removeAttachLink(layout, id);
      store.deleteSandbox(id);
    });
    events.sandbox(ContainerEvent.Type.DELETED, id, s.get().podUid());
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new InternalException("remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
