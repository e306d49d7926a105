package io.peapod.runtime.sandbox;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.cgroup.PodCgroups;
import io.peapod.runtime.logs.LogRotator;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/// Makes a pooled sandbox a pod's: its hostname (in pause's UTS namespace, which the containers join,
/// and /etc/hostname), its resolv.conf, its log directory and its pod cgroup's limits, then its row, in
/// one update, so a crash leaves it either still pooled (the next start removes it) or wholly the pod's.
final class SandboxAdoption {
  private static final Logger LOG = System.getLogger(SandboxAdoption.class.getName());
  private final RuntimeLayout layout;
  private final Syscalls sys;
  private final RuntimeStore store;
  private final CgroupLayout cgroups;
  private final PodCgroups podCgroups;
  private final KeyedLock<String> sandboxLocks;
  private final Consumer<String> remove;

  SandboxAdoption(RuntimeLayout layout, Syscalls sys, RuntimeStore store, CgroupLayout cgroups, PodCgroups podCgroups,
      KeyedLock<String> sandboxLocks, Consumer<String> remove) {
    this.layout = layout;
    this.sys = sys;
    this.store = store;
    this.cgroups = cgroups;
    this.podCgroups = podCgroups;
    this.sandboxLocks = sandboxLocks;
    this.remove = remove;
  }

  /// True when the pod has the sandbox; false, with the pooled sandbox removed, when it cannot (its
  /// pause died, a step failed): the pod gets a new one made for it.
  boolean adopt(String id, PodSandboxConfig cfg) {
    long t0 = System.nanoTime();
    try {
      boolean adopted = sandboxLocks.withLock(id, () -> {
        Optional<SandboxStatus> s = store.sandbox(id).filter(x -> x.state() == SandboxState.READY
            && isPauseOf(x.pausePid(), id));
        if (s.isEmpty()) {
          return false;
        }
        PodFiles.write(layout.sandboxDir(id), cfg.hostname(), cfg.dns());
        PodHostname.set(sys, s.get().pausePid(), cfg.hostname());
        LogRotator.createDirectories(Path.of(cfg.logDirectory()));
        String podCgroup = cgroups.podPath(cfg.cgroupParent(), id);
        podCgroups.update(podCgroup, cfg.podResources());
        podCgroups.rebalance(podCgroup.substring(0, podCgroup.lastIndexOf('/')));
        store.adoptSandbox(id, cfg, Instant.now());
        return true;
      });
      if (adopted) {
        LOG.log(Logger.Level.INFO, "sandbox {0} for pod {1}/{2} adopted from the pool in {3} ms (ip {4})",
            id.substring(0, 12), cfg.namespace(), cfg.name(), (System.nanoTime() - t0) / 1_000_000,
            store.sandbox(id).map(SandboxStatus::ip).orElse("none"));
        return true;
      }
      LOG.log(Logger.Level.WARNING, "pooled sandbox {0} is no longer ready; making a new one for pod {1}/{2}",
          id.substring(0, 12), cfg.namespace(), cfg.name());
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.WARNING, "pooled sandbox {0} could not be adopted by pod {1}/{2} ({3}); making a new one",
          id.substring(0, 12), cfg.namespace(), cfg.name(), e.getMessage());
    }
    try {
      remove.accept(id);
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.WARNING, "could not remove pooled sandbox {0}: {1}", id.substring(0, 12), e.getMessage());
    }
    return false;
  }

  /// Whether `pid` is still this sandbox's pause: in a cgroup named for it (a pid is reused once its
  /// process is gone, and the hostname is set in the namespace of whatever has it).
  private static boolean isPauseOf(int pid, String sandboxId) {
    try {
      return pid > 0 && Files.readString(Path.of("/proc/" + pid + "/cgroup")).contains(sandboxId);
    } catch (IOException gone) {
      return false;
    }
  }
}
