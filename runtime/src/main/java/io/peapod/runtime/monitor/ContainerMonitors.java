package io.peapod.runtime.monitor;

import io.peapod.runtime.RuntimeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/// Chooses each container's monitor: the pod's own ([PodMonitor]) for the pause and every container
/// without stdin or terminal, when peapod-podmon is installed and the sandbox was made with it; conmon,
/// one per container, for the rest.
public final class ContainerMonitors {
  private final RuntimeLayout layout;
  private final Conmon conmon;
  private final Optional<PodMonitor> pod;

  public ContainerMonitors(RuntimeLayout layout, Conmon conmon, Optional<PodMonitor> pod) {
    this.layout = layout;
    this.conmon = conmon;
    this.pod = pod;
  }

  /// Creates a sandbox's pause container: its pod monitor is started first, when there is one.
  public Created createPause(String sandboxId, ConmonRequest r) {
    if (pod.isPresent()) {
      pod.get().start(sandboxId, layout.sandboxDir(sandboxId));
      return pod.get().create(r, layout.sandboxDir(sandboxId), true);
    }
    return conmon.create(r);
  }

  public Created create(String sandboxId, ConmonRequest r) {
    Path sandboxDir = layout.sandboxDir(sandboxId);
    if (pod.isPresent() && PodMonitor.serves(r.stdio()) && PodMonitor.runsIn(sandboxDir)) {
      return pod.get().create(r, sandboxDir, false);
    }
    return conmon.create(r);
  }

  /// Reopens a container's log through whichever monitor has it: conmon's has a control FIFO in the bundle.
  public void reopenLog(String sandboxId, String containerId) {
    Path bundle = layout.containerDir(containerId);
    if (pod.isPresent() && !Files.exists(bundle.resolve("ctl"))) {
      pod.get().reopenLog(layout.sandboxDir(sandboxId), containerId);
    } else {
      conmon.reopenLog(bundle);
    }
  }

  /// Only conmon runs containers on a terminal.
  public void resizeTerminal(Path bundle, int rows, int columns) {
    conmon.resizeTerminal(bundle, rows, columns);
  }

  /// After the pause is gone: a pod monitor that watches nothing more leaves now.
  public void stopPod(String sandboxId) {
    pod.ifPresent(p -> p.quit(layout.sandboxDir(sandboxId)));
  }
}
