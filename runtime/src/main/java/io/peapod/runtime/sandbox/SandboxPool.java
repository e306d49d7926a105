package io.peapod.runtime.sandbox;

import io.peapod.base.error.PeapodException;
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
/// A pooled sandbox belongs to no pod: its row has no pod uid and carries [#LABEL], so no listing shows
/// it and no event names it. The daemon removes the pool when it stops; a daemon that died leaves its
/// pool to the next start, which removes it before making a new one.
final class SandboxPool implements AutoCloseable {
  /// Marks a pooled sandbox's config.
  static final String LABEL = "peapod.io/pooled";
  private static final Logger LOG = System.getLogger(SandboxPool.class.getName());
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);

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
  }

  private record Entry(String id, String cgroupParent) {}

  private final int size;
  private final Maker maker;
  private final Deque<Entry> ready = new ArrayDeque<>();
  private final Thread filler;
  /// The cgroup parent of the sandboxes made next: that of the last pod that fitted.
  private String shape;
  private boolean closed;

  SandboxPool(int size, String cgroupParent, Maker maker) {
    this.size = size;
    this.shape = cgroupParent;
    this.maker = maker;
    this.filler = Thread.ofPlatform().name("sandbox-pool").daemon().unstarted(this::fill);
  }

  static boolean pooled(SandboxStatus s) {
    return s.config().labels().containsKey(LABEL);
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
  /// pod that fits but names another cgroup parent turns the pool to that parent.
  synchronized Optional<String> take(PodSandboxConfig cfg) {
    if (size == 0 || closed || !fits(cfg)) {
      return Optional.empty();
    }
    if (!cfg.cgroupParent().equals(shape)) {
      shape = cfg.cgroupParent();
      notifyAll();
    }
    for (Entry e : ready) {
      if (e.cgroupParent().equals(cfg.cgroupParent())) {
        ready.remove(e);
        notifyAll();
        return Optional.of(e.id());
      }
    }
    return Optional.empty();
  }

  private void fill() {
    Duration retry = FIRST_RETRY;
    while (true) {
      String parent;
      List<Entry> stale = new ArrayList<>();
      synchronized (this) {
        while (!closed && ready.size() >= size && ready.stream().allMatch(e -> e.cgroupParent().equals(shape))) {
          waitQuietly(0);
        }
        if (closed) {
          return;
        }
        parent = shape;
        ready.removeIf(e -> !e.cgroupParent().equals(parent) && stale.add(e));
      }
      stale.forEach(e -> removeQuietly(e.id()));
      maker.awaitQuiet();
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
      } catch (PeapodException e) {
        LOG.log(Logger.Level.WARNING, "could not make a pooled sandbox (trying again in {0} s): {1}",
            retry.toSeconds(), e.getMessage());
        synchronized (this) {
          waitQuietly(retry.toMillis());
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
        Map.of(LABEL, "true"), Map.of(), cgroupParent, new Resources(0, 0, 0, 0, 0), Map.of());
  }

  private void removeQuietly(String id) {
    try {
      maker.remove(id);
    } catch (PeapodException e) {
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
