package io.peapod.runtime.api;

import io.peapod.base.error.PeapodException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/// The container runtime as the kubelet and the CRI server see it: CRI v1's RuntimeService, in
/// peapod's records. A sandbox holds a pod's shared namespaces (a pinned netns and a pause process);
/// containers are created in a sandbox, started, stopped and removed.
///
/// ```
///  runPodSandbox ─> READY ─(pause dies / stopPodSandbox)─> NOTREADY ─ removePodSandbox ─> gone
///  createContainer ─> CREATED ─ startContainer ─> RUNNING ─(exit / stopContainer)─> EXITED ─ removeContainer ─> gone
/// ```
///
/// Every call is safe to repeat as the CRI requires: stopping or removing what is gone succeeds. A call
/// interrupted by the daemon's death is finished or undone when the runtime starts again, so the
/// kubelet only ever sees whole sandboxes and containers. Errors are [io.peapod.base.error.PeapodException]s.
public interface RuntimeService {
  /// Creates the pod's namespaces, network and pause process; returns the sandbox id.
  String runPodSandbox(PodSandboxConfig config);

  /// Stops every container of the sandbox, then the pause process, and tears the network down.
  void stopPodSandbox(String sandboxId);

  /// Stops the sandbox if needed, then removes its containers and everything it held.
  void removePodSandbox(String sandboxId);

  SandboxStatus podSandboxStatus(String sandboxId);

  /// Sandboxes, oldest first; only those of one pod when `podUid` is given.
  List<SandboxStatus> listPodSandboxes(Optional<String> podUid);

  /// Creates a container (rootfs, spec, monitor); its process is made but not started. A container
  /// whose process the OCI runtime could not set up is kept as EXITED with exit code 128 and reason
  /// `ContainerCannotRun`, as a container that ran and failed.
  String createContainer(String sandboxId, ContainerConfig config);

  void startContainer(String containerId);

  /// createContainer, then startContainer unless the create already ended the container (it could not
  /// run): for a caller that starts each container as soon as it is made, as peapod's kubelet does. A
  /// runtime that can do both in one step (the OCI runtime's `run`) overrides this. A failure to create is
  /// thrown; a failure to start is returned, with the container.
  default ContainerRun runContainer(String sandboxId, ContainerConfig config) {
    String id = createContainer(sandboxId, config);
    if (containerStatus(id).state() != ContainerState.CREATED) {
      return ContainerRun.made(id);
    }
    try {
      startContainer(id);
      return ContainerRun.made(id);
    } catch (PeapodException e) {
      return new ContainerRun(id, Optional.of(e));
    }
  }

  /// SIGTERM (or the image's stop signal), SIGKILL once `timeout` has passed; returns once the exit is recorded.
  void stopContainer(String containerId, Duration timeout);

  void removeContainer(String containerId);

  ContainerStatus containerStatus(String containerId);

  /// Containers, oldest first; only those of one sandbox when `sandboxId` is given.
  List<ContainerStatus> listContainers(Optional<String> sandboxId);

  /// Runs a command in a running container and collects its output (probes and hooks); a command still
  /// running after `timeout` is killed and reported as timed out.
  ExecResult execSync(String containerId, List<String> command, Duration timeout);

  /// Starts a command in a running container with streams, on a terminal when `tty` is given.
  ExecProcess exec(String containerId, List<String> command, Optional<TerminalSize> tty);

  /// Connects to a running container's own standard streams through its monitor (CRI's Attach): its
  /// output from now on, and with `stdin` what is written to its input (a container made with
  /// [ContainerStdio#stdin]). `tty` must match the container's terminal and resizes it. Closing or
  /// destroying the session detaches; the container keeps running. [ExecProcess#waitFor] returns the
  /// container's exit code once it ends, or -1 when the session was detached first.
  ExecProcess attach(String containerId, boolean stdin, Optional<TerminalSize> tty);

  /// CPU and memory use of a running container, from its cgroup (CRI's ContainerStats).
  ContainerStats containerStats(String containerId);

  /// Sets new CPU and memory limits on a created or running container's cgroup (CRI's
  /// UpdateContainerResources); zero values are left as they are.
  void updateContainerResources(String containerId, Resources resources);

  /// Makes the container's monitor reopen its log file (after the file was moved away).
  void reopenContainerLog(String containerId);

  /// Calls `listener` for every lifecycle event of every container and sandbox (CRI's
  /// GetContainerEvents); closing the returned handle stops the calls.
  AutoCloseable subscribe(Consumer<ContainerEvent> listener);
}
