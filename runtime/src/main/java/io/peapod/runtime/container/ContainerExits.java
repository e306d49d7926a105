package io.peapod.runtime.container;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.runtime.RuntimeEvents;
import io.peapod.runtime.api.ContainerEvent;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.monitor.ExitWatcher;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.state.RuntimeStore;
import java.lang.System.Logger;
import java.time.Instant;
import java.util.Optional;

/// Where every end of a process is recorded, whichever way the daemon heard of it: an exit file
/// (conmon saw the process end), a monitor that died without one (the container is lost with it: it is
/// killed and reported as kubelet reports a lost container, exit 137 `ContainerStatusUnknown`), or an
/// exit found at start that happened while the daemon was down. The first report wins; the rest
/// change nothing. A sandbox's pause process ending makes the sandbox NOTREADY.
public final class ContainerExits {
  private static final Logger LOG = System.getLogger(ContainerExits.class.getName());
  /// The exit code Kubernetes reports for a container that was killed or lost (128 + SIGKILL).
  public static final int LOST_EXIT_CODE = 137;
  private final RuntimeStore store;
  private final CgroupLayout cgroups;
  private final OciRuntime oci;
  private final ExitWatcher exitFiles;
  private final ContainerResources resources;
  private final RuntimeEvents events;
  private final KeyedLock<String> sandboxLocks;

  public ContainerExits(RuntimeStore store, CgroupLayout cgroups, OciRuntime oci, ExitWatcher exitFiles,
      ContainerResources resources, RuntimeEvents events, KeyedLock<String> sandboxLocks) {
    this.store = store;
    this.cgroups = cgroups;
    this.oci = oci;
    this.exitFiles = exitFiles;
    this.resources = resources;
    this.events = events;
    this.sandboxLocks = sandboxLocks;
  }

  /// The monitor wrote the exit file of `id` (a container or a sandbox's pause).
  public void exited(String id, int code, Instant at) {
    Optional<ContainerStatus> c = store.container(id);
    if (c.isPresent()) {
      boolean oom = code == LOST_EXIT_CODE && store.sandbox(c.get().sandboxId()).map(s -> cgroups.oomKilled(
          cgroups.containerPath(cgroups.podPath(s.config().cgroupParent(), s.id()), id))).orElse(false);
      record(c.get(), code, oom ? "OOMKilled" : code == 0 ? "Completed" : "Error", "", at);
      return;
    }
    store.sandbox(id).ifPresent(s -> pauseEnded(s, "pause process exited with " + code));
  }

  /// The monitor of `id` (its conmon or its pod's monitor) ended. If it left an exit file, that is the exit; otherwise the container was
  /// lost with its monitor.
  public void monitorGone(String id) {
    Optional<Integer> code = exitFiles.exitCode(id);
    if (code.isPresent()) {
      exited(id, code.get(), exitFiles.exitTime(id));
      return;
    }
    Optional<ContainerStatus> c = store.container(id);
    if (c.isPresent()) {
      if (c.get().state() == ContainerState.EXITED) {
        return;
      }
      LOG.log(Logger.Level.WARNING, "the monitor of container {0} ({1}) is gone without an exit code; stopping the"
          + " container", c.get().name(), id.substring(0, 12));
      oci.kill(id, "KILL", true);
      record(c.get(), LOST_EXIT_CODE, "ContainerStatusUnknown", "the container's monitor died, so the"
          + " container could not be watched and was stopped", Instant.now());
      return;
    }
    store.sandbox(id).ifPresent(s -> {
      oci.kill(id, "KILL", true);
      pauseEnded(s, "the pause container's monitor died");
    });
  }

  private void record(ContainerStatus c, int code, String reason, String message, Instant at) {
    if (c.state() == ContainerState.EXITED) {
      return;
    }
    if (!store.markExited(c.id(), code, at, reason, message)) {
      return;
    }
    // The pod's containers side by side (shared), each one's own work one at a time (its id's lock).
    sandboxLocks.withSharedLock(c.sandboxId(), () -> sandboxLocks.withLock(c.id(),
        () -> resources.release(c.id(), c.logPath())));
    events.container(ContainerEvent.Type.STOPPED, c.id(), c.sandboxId());
  }

  private void pauseEnded(SandboxStatus s, String why) {
    if (s.state() == SandboxState.READY) {
      LOG.log(Logger.Level.WARNING, "sandbox {0} of {1} is no longer ready: {2}", s.id().substring(0, 12),
          s.podUid().isEmpty() ? "the pool" : "pod " + s.config().namespace() + "/" + s.config().name(), why);
      store.updateSandboxState(s.id(), SandboxState.NOTREADY);
      events.sandbox(ContainerEvent.Type.STOPPED, s.id(), s.podUid());
    }
  }
}
