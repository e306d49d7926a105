package io.peapod.runtime.monitor;

import io.peapod.sys.ProcessWatcher;
import io.peapod.sys.Syscalls;
import io.peapod.sys.proc.ProcFs;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/// Watches each container's monitor process, its conmon or its pod's monitor (pidfd, through
/// [ProcessWatcher]), so that a monitor that dies, even by SIGKILL and without writing an exit file, is
/// noticed at once; the owner then decides, for each container it watched, whether the container exited
/// (the file is there) or was lost with its monitor.
public final class MonitorWatcher implements AutoCloseable {
  private final ProcFs proc;
  private volatile Consumer<String> onGone = id -> { };
  /// A pod monitor watches several containers; a conmon one.
  private final Map<Integer, Set<String>> containersByPid = new ConcurrentHashMap<>();
  private final Map<String, Integer> pidByContainer = new ConcurrentHashMap<>();
  private final ProcessWatcher watcher;

  public MonitorWatcher(Syscalls sys, ProcFs proc) {
    this.proc = proc;
    this.watcher = sys.watchProcesses(this::exited);
  }

  /// Reports, from now on, the container (or sandbox) id whose conmon ended.
  public void start(Consumer<String> onGone) {
    this.onGone = onGone;
  }

  /// Watches the monitor whose pid is `monitorPid`; returns false when that process is not (or no
  /// longer) the monitor of this container of that sandbox, so the caller treats the monitor as gone.
  public synchronized boolean watch(String containerId, String sandboxId, int monitorPid) {
    containersByPid.computeIfAbsent(monitorPid, p -> ConcurrentHashMap.newKeySet()).add(containerId);
    pidByContainer.put(containerId, monitorPid);
    if (!watcher.watch(monitorPid) || !isMonitorOf(monitorPid, containerId, sandboxId)) {
      forget(containerId);
      return false;
    }
    return true;
  }

  /// Whether `pid` is the conmon of `containerId` or the pod monitor of `sandboxId` (a pid may have been
  /// reused since it was written).
  public boolean isMonitorOf(int pid, String containerId, String sandboxId) {
    String cmdline = proc.cmdline(pid);
    String program = cmdline.split(" ", 2)[0];
    return program.endsWith("conmon") && cmdline.contains(containerId)
        || program.endsWith("peapod-podmon") && cmdline.contains(sandboxId);
  }

  public Optional<Integer> pidOf(String containerId) {
    return Optional.ofNullable(pidByContainer.get(containerId));
  }

  public synchronized void forget(String containerId) {
    Integer pid = pidByContainer.remove(containerId);
    if (pid != null) {
      Set<String> left = containersByPid.computeIfPresent(pid, (p, ids) -> {
        ids.remove(containerId);
        return ids.isEmpty() ? null : ids;
      });
      if (left == null) {
        watcher.unwatch(pid);
      }
    }
  }

  private synchronized void exited(int pid) {
    Set<String> ids = containersByPid.remove(pid);
    if (ids != null) {
      for (String id : ids) {
        pidByContainer.remove(id);
        onGone.accept(id);
      }
    }
  }

  @Override
  public void close() {
    watcher.close();
  }
}
