package io.peapod.cri.mapping;

import io.peapod.cri.v1.Container;
import io.peapod.cri.v1.ContainerMetadata;
import io.peapod.cri.v1.ImageSpec;
import io.peapod.cri.v1.LinuxPodSandboxStatus;
import io.peapod.cri.v1.Namespace;
import io.peapod.cri.v1.PodSandbox;
import io.peapod.cri.v1.PodSandboxMetadata;
import io.peapod.cri.v1.PodSandboxNetworkStatus;
import io.peapod.cri.v1.PodSandboxState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.SandboxStatus;

/// The runtime's sandboxes and containers as CRI reports them: in lists, and in full status.
public final class Statuses {
  private Statuses() {}

  public static PodSandbox sandbox(SandboxStatus s) {
    return PodSandbox.newBuilder().setId(s.id()).setMetadata(metadata(s.config())).setState(state(s))
        .setCreatedAt(Times.nanos(s.createdAt())).putAllLabels(s.config().labels())
        .putAllAnnotations(s.config().annotations()).build();
  }

  public static io.peapod.cri.v1.PodSandboxStatus sandboxStatus(SandboxStatus s) {
    return io.peapod.cri.v1.PodSandboxStatus.newBuilder().setId(s.id()).setMetadata(metadata(s.config()))
        .setState(state(s)).setCreatedAt(Times.nanos(s.createdAt()))
        .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(s.ip()))
        .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder()
            .setOptions(Namespaces.toCri(s.config().namespaces()))))
        .putAllLabels(s.config().labels()).putAllAnnotations(s.config().annotations()).build();
  }

  public static Container container(ContainerStatus c) {
    return Container.newBuilder().setId(c.id()).setPodSandboxId(c.sandboxId()).setMetadata(metadata(c))
        .setImage(ImageSpec.newBuilder().setImage(c.image())).setImageRef(c.imageId()).setImageId(c.imageId())
        .setState(state(c)).setCreatedAt(Times.nanos(c.createdAt())).putAllLabels(c.labels())
        .putAllAnnotations(c.annotations()).build();
  }

  public static io.peapod.cri.v1.ContainerStatus containerStatus(ContainerStatus c) {
    return io.peapod.cri.v1.ContainerStatus.newBuilder().setId(c.id()).setMetadata(metadata(c)).setState(state(c))
        .setCreatedAt(Times.nanos(c.createdAt())).setStartedAt(Times.nanos(c.startedAt()))
        .setFinishedAt(Times.nanos(c.finishedAt())).setExitCode(c.exitCode())
        .setImage(ImageSpec.newBuilder().setImage(c.image())).setImageRef(c.imageId()).setImageId(c.imageId())
        .setReason(c.reason()).setMessage(c.message()).putAllLabels(c.labels()).putAllAnnotations(c.annotations())
        .setLogPath(c.logPath()).build();
  }

  static PodSandboxState state(SandboxStatus s) {
    return s.ready() ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
  }

  static io.peapod.cri.v1.ContainerState state(ContainerStatus c) {
    return switch (c.state()) {
      case CREATED -> io.peapod.cri.v1.ContainerState.CONTAINER_CREATED;
      case RUNNING -> io.peapod.cri.v1.ContainerState.CONTAINER_RUNNING;
      case EXITED -> io.peapod.cri.v1.ContainerState.CONTAINER_EXITED;
      case UNKNOWN -> io.peapod.cri.v1.ContainerState.CONTAINER_UNKNOWN;
    };
  }

  static PodSandboxMetadata metadata(PodSandboxConfig c) {
    return PodSandboxMetadata.newBuilder().setName(c.name()).setNamespace(c.namespace()).setUid(c.uid())
        .setAttempt(c.attempt()).build();
  }

  static ContainerMetadata metadata(ContainerStatus c) {
    return ContainerMetadata.newBuilder().setName(c.name()).setAttempt(c.attempt()).build();
  }
}
