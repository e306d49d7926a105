package io.peapod.runtime.sandbox;

import io.peapod.runtime.api.DnsConfig;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.api.SandboxStatus;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Sandboxes made before a pod asks for one: the pod cgroup, the netns pinned and given an address by
/// CNI, pause running in its own IPC, UTS and PID namespaces. A pod whose sandbox needs nothing at
/// creation that cannot be set later (see [#fits]) adopts one, and one thread makes the next in the
/// background. Making a sandbox is mostly helper processes starting (CNI plugins, conmon, runc), CPU
/// the pod would otherwise wait for.
///
/// A pooled sandbox belongs to no pod: its row has no pod uid (every pod's has one; CRI requires it), so
/// no listing shows it and no event names it; a label could be a pod's own. The daemon removes the pool when it stops; a daemon that died leaves its
/// pool to the next start, which removes it before making a new one.
final class SandboxPool implements AutoCloseable {
  private static final Logger LOG = System.getLogger(SandboxPool.class.getName());
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);
  /// How often a full pool looks whether its sandboxes are still whole.
  private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

  /// What the pool asks of the sandbox manager.
  interface Maker {
    /// Returns when making a sandbox would not slow a pod's start down.
    void awaitQuiet();

    /// Makes a whole sandbox for `config`, as RunPodSandbox does, and returns its id.
    String make(PodSandboxConfig config);

    /// Stops and removes a sandbox; safe to repeat.
    void remove(String id);

    /// Every sandbox row there is, pooled ones included.
    List<SandboxStatus> all();

    /// Whether a pooled sandbox is still whole (its pause may have died).
    boolean ready(String id);
  }

  private record Entry(String id, String cgroupParent) {}

  private final int size;
  /// The cgroup parents the pool makes sandboxes for (the kubelet's QoS classes), the first at start.
  private final List<String> parents;
  private final Maker maker;
  private final Deque<Entry> ready = new ArrayDeque<>();
  /// Taken from `ready` with their pause gone; the filler removes them.
  private final List<String> dead = new ArrayList<>();
  private final Thread filler;
  /// The cgroup parent of the sandboxes made next: that of the last pod that fitted.
  private String shape;
  private boolean closed;

  SandboxPool(int size, List<String> cgroupParents, Maker maker) {
    this.size = size;
    this.parents = List.copyOf(cgroupParents);
    this.shape = parents.getFirst();
    this.maker = maker;
    this.filler = Thread.ofPlatform().name("sandbox-pool").daemon().unstarted(this::fill);
  }

  static boolean pooled(SandboxStatus s) {
    return s.podUid().isEmpty();
  }

  /// Whether a pod's sandbox can come from the pool: it has a network, IPC and PID namespace of its own
  /// (as every pooled pause has), no sysctls (runc sets them as pause starts) and no host ports (portmap
  /// takes them at CNI ADD). Its hostname, DNS files, log directory and pod cgroup limits are set when
  /// it is adopted.
  static boolean fits(PodSandboxConfig cfg) {
    NamespaceOptions ns = cfg.namespaces();
    return ns.network() == NamespaceMode.POD && ns.ipc() == NamespaceMode.POD && ns.pid() != NamespaceMode.NODE
        && cfg.sysctls().isEmpty() && cfg.portMappings().isEmpty();
  }

  /// Removes what a daemon that died left pooled, then starts making the pool. A pool of size 0 does nothing.
  void start() {
    for (SandboxStatus s : maker.all()) {
      if (pooled(s)) {
        LOG.log(Logger.Level.INFO, "removing pooled sandbox {0} left by the last run", s.id().substring(0, 12));
        removeQuietly(s.id());
      }
    }
    if (size > 0) {
      filler.start();
    }
  }

  /// A pooled sandbox for a pod with this config, if one fits; the pool makes a new one behind it. A
  /// pod that fits and names another of the pool's cgroup parents turns the pool to that parent; any
  /// other parent (a CRI caller's per-pod one) never gets a pooled sandbox. One whose pause died is
  /// passed over and removed in the background.
  synchronized Optional<String> take(PodSandboxConfig cfg) {
    if (size == 0 || closed || !fits(cfg) || !parents.contains(cfg.cgroupParent())) {
      return Optional.empty();
    }
    if (!cfg.cgroupParent().equals(shape)) {
      shape = cfg.cgroupParent();
      notifyAll();
    }
    for (Entry e : List.copyOf(ready)) {
      if (!e.cgroupParent().equals(cfg.cgroupParent())) {
        continue;
      }
      ready.remove(e);
      notifyAll();
      if (maker.ready(e.id())) {
        return Optional.of(e.id());
      }
      dead.add(e.id());
    }
    return Optional.empty();
  }

  private void fill() {
    Duration retry = FIRST_RETRY;
    while (true) {
      String parent;
      List<String> stale = new ArrayList<>();
      synchronized (this) {
        while (!closed && dead.isEmpty() && ready.size() >= size
            && ready.stream().allMatch(e -> e.cgroupParent().equals(shape))) {
          waitQuietly(CHECK_EVERY.toMillis());
          // A pooled pause that died (or lost its conmon) is replaced before a pod would come for it.
          ready.removeIf(e -> !maker.ready(e.id()) && dead.add(e.id()));
        }
        if (closed) {
          return;
        }
        parent = shape;
        ready.removeIf(e -> !e.cgroupParent().equals(parent) && stale.add(e.id()));
        stale.addAll(dead);
        dead.clear();
      }
      stale.forEach(this::removeQuietly);
      maker.awaitQuiet();
      synchronized (this) {
        if (closed || ready.size() >= size) {
          continue;
        }
      }
      try {
        String id = maker.make(config(parent));
        retry = FIRST_RETRY;
        boolean keep;
        synchronized (this) {
          keep = !closed;
          if (keep) {
            ready.addLast(new Entry(id, parent));
          }
        }
        if (!keep) {
          removeQuietly(id);
          return;
        }
      } catch (RuntimeException e) {
        LOG.log(Logger.Level.WARNING, "could not make a pooled sandbox (trying again in {0} s): {1}",
            retry.toSeconds(), e.getMessage());
        long until = System.currentTimeMillis() + retry.toMillis();
        synchronized (this) {
          // take() wakes this thread; a broken network config is still tried only once per back-off.
          for (long left = retry.toMillis(); left > 0 && !closed; left = until - System.currentTimeMillis()) {
            waitQuietly(left);
          }
        }
        retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
      }
    }
  }

  private void waitQuietly(long millis) {
    try {
      wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /// The config of a sandbox made for the pool: no pod, a placeholder name and hostname, the pool's
  /// cgroup parent, no limits (an adopting pod sets its own).
  static PodSandboxConfig config(String cgroupParent) {
    return new PodSandboxConfig("pooled", "", "", 0, "pooled", "", new NamespaceOptions(NamespaceMode.POD,
        NamespaceMode.POD, NamespaceMode.POD), List.of(), new DnsConfig(List.of(), List.of(), List.of()),
        Map.of(), Map.of(), cgroupParent, new Resources(0, 0, 0, 0, 0), Map.of());
  }

  private void removeQuietly(String id) {
    try {
      maker.remove(id);
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.WARNING, "could not remove pooled sandbox {0}: {1}", id.substring(0, 12), e.getMessage());
    }
  }

  /// Stops making sandboxes and removes the pooled ones.
  @Override
  public void close() {
    List<Entry> left;
    synchronized (this) {
      closed = true;
      notifyAll();
      left = new ArrayList<>(ready);
      ready.clear();
    }
    if (filler.isAlive()) {
      try {
        filler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    left.forEach(e -> removeQuietly(e.id()));
  }
}
