package io.peapod.runtime.monitor;

import io.peapod.sys.ProcessWatcher;
import io.peapod.sys.Syscalls;
import io.peapod.sys.proc.ProcFs;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/// Watches each container's conmon process (pidfd, through [ProcessWatcher]) so that a monitor that
/// dies, even by SIGKILL and without writing an exit file, is noticed at once; the owner then decides
/// whether the container exited (the file is there) or was lost with its monitor.
public final class MonitorWatcher implements AutoCloseable {
  private final ProcFs proc;
  private volatile Consumer<String> onGone = id -> { };
  private final Map<Integer, String> containerByPid = new ConcurrentHashMap<>();
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

  /// Watches the conmon whose pid is `conmonPid`; returns false when that process is not (or no
  /// longer) this container's conmon, so the caller treats the monitor as gone.
  public boolean watch(String containerId, int conmonPid) {
    containerByPid.put(conmonPid, containerId);
    pidByContainer.put(containerId, conmonPid);
    if (!watcher.watch(conmonPid) || !isMonitorOf(conmonPid, containerId)) {
      forget(containerId);
      return false;
    }
    return true;
  }

  /// Whether `pid` is a conmon monitoring `containerId` (a pid may have been reused since it was written).
  public boolean isMonitorOf(int pid, String containerId) {
    String cmdline = proc.cmdline(pid);
    return cmdline.contains("conmon") && cmdline.contains(containerId);
  }

  public Optional<Integer> pidOf(String containerId) {
    return Optional.ofNullable(pidByContainer.get(containerId));
  }

  public void forget(String containerId) {
    Integer pid = pidByContainer.remove(containerId);
    if (pid != null) {
      containerByPid.remove(pid);
      watcher.unwatch(pid);
    }
  }

  private void exited(int pid) {
    String id = containerByPid.remove(pid);
    if (id != null) {
      pidByContainer.remove(id);
      onGone.accept(id);
    }
  }

  @Override
  public void close() {
    watcher.close();
  }
}
