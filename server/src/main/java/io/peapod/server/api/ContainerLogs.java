package io.peapod.server.api;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.NotFoundException;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.logs.ContainerLogReader;
import io.peapod.kubelet.pod.PodView;
import io.peapod.runtime.api.ContainerLogFiles;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.RuntimeService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/// Which log file `logs` reads for a container, as kubectl means it: the running or last instance's,
/// the one before with `previous`, or the last one that ended while a new one waits to start; and
/// reading it, following while that instance runs. The API and the web page share it.
public final class ContainerLogs {
  /// A container instance's log file.
  public record Source(Path log, String containerId) {}

  private final Kubelet kubelet;
  private final RuntimeService runtime;

  public ContainerLogs(Kubelet kubelet, RuntimeService runtime) {
    this.kubelet = kubelet;
    this.runtime = runtime;
  }

  public Source find(String ns, String name, Optional<String> container, boolean previous) {
    PodView pod = kubelet.get(ns, name);
    PodView.ContainerView c = PodRoutes.container(pod, kubelet.spec(ns, name), container);
    String path;
    String containerId;
    if (previous) {
      PodView.Terminated last = c.lastState().orElseThrow(() -> new NotFoundException("previous terminated container "
          + c.name() + " in pod " + name + " not found"));
      path = last.logPath();
      containerId = last.containerId();
    } else if (c.state() != PodView.State.WAITING || !c.logPath().isEmpty()) {
      path = c.logPath();
      containerId = c.id();
    } else if (c.lastState().isPresent()) {
      path = c.lastState().get().logPath();
      containerId = c.lastState().get().containerId();
    } else {
      throw new FailedPreconditionException("container " + c.name() + " in pod " + name + " is waiting to start: "
          + c.reason() + (c.message().isEmpty() ? "" : " (" + c.message() + ")"));
    }
    Path log = Path.of(path);
    if (path.isEmpty() || (!Files.exists(log) && ContainerLogFiles.rotated(log).isEmpty())) {
      throw new NotFoundException("log of container " + c.name() + " in pod " + name + " not found at " + path);
    }
    return new Source(log, containerId);
  }

  public void write(Source source, ContainerLogReader.Options o, OutputStream out) throws IOException {
    ContainerLogReader.write(source.log(), o, () -> running(source.containerId()), out);
  }

  private boolean running(String containerId) {
    try {
      return runtime.containerStatus(containerId).state() == ContainerState.RUNNING;
    } catch (NotFoundException gone) {
      return false;
    }
  }
}
