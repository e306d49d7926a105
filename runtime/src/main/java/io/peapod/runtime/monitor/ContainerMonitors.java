package io.peapod.runtime.monitor;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.RuntimeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/// Chooses each container's monitor: the pod's own ([PodMonitor]) for the pause and every container
/// without stdin or terminal, when peapod-podmon is installed and the sandbox was made with it; conmon,
/// one per container, for the rest.
public final class ContainerMonitors implements AutoCloseable {
  /// The OCI runtime's creates running at once on the node. A burst of a thousand pods with no bound had
  /// hundreds of `runc` in the kernel's mount and cgroup locks at once (load average 800), and fewer pods
  /// were Running after five minutes than with 4 or 16 at a time (docs/benchmarks.md, 1000 pods); a pod's
  /// own pause and containers never wait for each other under it.
  private final Semaphore creates;
  private final RuntimeLayout layout;
  private final Conmon conmon;
  private final Optional<PodMonitor> pod;

  public ContainerMonitors(RuntimeLayout layout, Conmon conmon, Optional<PodMonitor> pod) {
    this(layout, conmon, pod, 8 * Runtime.getRuntime().availableProcessors());
  }

  ContainerMonitors(RuntimeLayout layout, Conmon conmon, Optional<PodMonitor> pod, int maxCreates) {
    this.layout = layout;
    this.conmon = conmon;
    this.pod = pod;
    this.creates = new Semaphore(maxCreates);
  }

  /// Creates a sandbox's pause container: its pod monitor is started first, when there is one, and only
  /// once the create may run: a monitor never asked anything leaves after a minute, and in a burst of a
  /// thousand pods a create waits longer than that for its turn.
  public Created createPause(String sandboxId, ConmonRequest r) {
    if (pod.isPresent()) {
      Path sandboxDir = layout.sandboxDir(sandboxId);
      return limited(() -> {
        pod.get().start(sandboxId, sandboxDir);
        return pod.get().create(r, sandboxDir, true);
      });
    }
    return limited(() -> conmon.create(r));
  }

  public Created create(String sandboxId, ConmonRequest r) {
    Path sandboxDir = layout.sandboxDir(sandboxId);
    if (pod.isPresent() && PodMonitor.serves(r.stdio()) && PodMonitor.runsIn(sandboxDir)) {
      return limited(() -> pod.get().create(r, sandboxDir, false));
    }
    return limited(() -> conmon.create(r));
  }

  /// Creates and, where the monitor can, starts at once: the pod monitor runs the OCI runtime's `run`, one
  /// process instead of a create and a start. Conmon, and a pod monitor older than that request, only
  /// create; the result says which happened.
  public Created run(String sandboxId, ConmonRequest r) {
    Path sandboxDir = layout.sandboxDir(sandboxId);
    if (pod.isPresent() && PodMonitor.serves(r.stdio()) && PodMonitor.runsIn(sandboxDir)) {
      return limited(() -> pod.get().run(r, sandboxDir).orElseGet(() -> pod.get().create(r, sandboxDir, false)));
    }
    return limited(() -> conmon.create(r));
  }

  private Created limited(Supplier<Created> create) {
    try {
      creates.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted waiting to run the OCI runtime's create", e);
    }
    try {
      return create.get();
    } finally {
      creates.release();
    }
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

  @Override
  public void close() {
    pod.ifPresent(PodMonitor::close);
  }

  /// After the pause is gone: a pod monitor that watches nothing more leaves now.
  public void stopPod(String sandboxId) {
    pod.ifPresent(p -> p.quit(layout.sandboxDir(sandboxId)));
  }
}
