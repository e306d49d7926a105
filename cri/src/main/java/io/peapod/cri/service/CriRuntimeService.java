package io.peapod.cri.service;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.peapod.cri.mapping.SandboxConfigs;
import io.peapod.cri.stream.StreamingServer;
import io.peapod.cri.v1.*;
import io.peapod.runtime.api.RuntimeService;
import java.util.Optional;
import java.util.function.Supplier;

/// `runtime.v1.RuntimeService` on peapod's runtime: each RPC is one line that hands the request to the
/// class owning its concern (sandboxes, containers, streams, stats, events) inside [Calls#unary].
public final class CriRuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {
  /// The CRI version this server speaks, as `Version` reports it.
  public static final String API_VERSION = "v1";
  private final RuntimeService runtime;
  private final Identity identity;
  private final Supplier<Optional<String>> networkProblem;
  private final Sandboxes sandboxes;
  private final Containers containers;
  private final Streams streams;
  private final StatsCalls stats;
  private final Events events;

  /// What `Version` and `Status` tell about this runtime.
  public record Identity(String name, String version) {}

  /// `networkProblem` says why the pod network is not ready (empty when it is), for `Status`.
  public CriRuntimeService(RuntimeService runtime, SandboxConfigs configs, StreamingServer server, Identity identity,
      Supplier<Optional<String>> networkProblem) {
    this.runtime = runtime;
    this.identity = identity;
    this.networkProblem = networkProblem;
    Ids ids = new Ids(runtime);
    this.sandboxes = new Sandboxes(runtime, configs, ids);
    this.containers = new Containers(runtime, ids);
    this.streams = new Streams(server, ids);
    this.stats = new StatsCalls(runtime, ids);
    this.events = new Events(runtime);
  }

  @Override
  public void version(VersionRequest r, StreamObserver<VersionResponse> out) {
    Calls.unary("Version", out, () -> VersionResponse.newBuilder().setVersion("0.1.0")
        .setRuntimeName(identity.name()).setRuntimeVersion(identity.version()).setRuntimeApiVersion(API_VERSION)
        .build());
  }

  @Override
  public void status(StatusRequest r, StreamObserver<StatusResponse> out) {
    Calls.unary("Status", out, () -> RuntimeConditions.status(networkProblem.get(), r.getVerbose(), identity));
  }

  @Override
  public void runtimeConfig(RuntimeConfigRequest r, StreamObserver<RuntimeConfigResponse> out) {
    Calls.unary("RuntimeConfig", out, () -> RuntimeConfigResponse.newBuilder().setLinux(
        LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(CgroupDriver.CGROUPFS)).build());
  }

  @Override
  public void updateRuntimeConfig(UpdateRuntimeConfigRequest r, StreamObserver<UpdateRuntimeConfigResponse> out) {
    Calls.unary("UpdateRuntimeConfig", out, () -> RuntimeConditions.updateRuntimeConfig(r));
  }

  @Override
  public void runPodSandbox(RunPodSandboxRequest r, StreamObserver<RunPodSandboxResponse> out) {
    Calls.unary("RunPodSandbox", out, () -> sandboxes.run(r));
  }

  @Override
  public void stopPodSandbox(StopPodSandboxRequest r, StreamObserver<StopPodSandboxResponse> out) {
    Calls.unary("StopPodSandbox", out, () -> {
      sandboxes.stop(r.getPodSandboxId());
      return StopPodSandboxResponse.getDefaultInstance();
    });
  }

  @Override
  public void removePodSandbox(RemovePodSandboxRequest r, StreamObserver<RemovePodSandboxResponse> out) {
    Calls.unary("RemovePodSandbox", out, () -> {
      sandboxes.remove(r.getPodSandboxId());
      return RemovePodSandboxResponse.getDefaultInstance();
    });
  }

  @Override
  public void podSandboxStatus(PodSandboxStatusRequest r, StreamObserver<PodSandboxStatusResponse> out) {
    Calls.unary("PodSandboxStatus", out, () -> sandboxes.status(r));
  }

  @Override
  public void listPodSandbox(ListPodSandboxRequest r, StreamObserver<ListPodSandboxResponse> out) {
    Calls.unary("ListPodSandbox", out, () -> sandboxes.list(r));
  }

  @Override
  public void streamPodSandboxes(StreamPodSandboxesRequest r, StreamObserver<StreamPodSandboxesResponse> out) {
    Calls.pages("StreamPodSandboxes", out, () -> sandboxes.list(ListPodSandboxRequest.newBuilder()
        .setFilter(r.getFilter()).build()).getItemsList(), page -> StreamPodSandboxesResponse.newBuilder()
        .addAllPodSandboxes(page).build());
  }

  @Override
  public void createContainer(CreateContainerRequest r, StreamObserver<CreateContainerResponse> out) {
    Calls.unary("CreateContainer", out, () -> containers.create(r));
  }

  @Override
  public void startContainer(StartContainerRequest r, StreamObserver<StartContainerResponse> out) {
    Calls.unary("StartContainer", out, () -> {
      containers.start(r.getContainerId());
      return StartContainerResponse.getDefaultInstance();
    });
  }

  @Override
  public void stopContainer(StopContainerRequest r, StreamObserver<StopContainerResponse> out) {
    Calls.unary("StopContainer", out, () -> {
      containers.stop(r.getContainerId(), r.getTimeout());
      return StopContainerResponse.getDefaultInstance();
    });
  }

  @Override
  public void removeContainer(RemoveContainerRequest r, StreamObserver<RemoveContainerResponse> out) {
    Calls.unary("RemoveContainer", out, () -> {
      containers.remove(r.getContainerId());
      return RemoveContainerResponse.getDefaultInstance();
    });
  }

  @Override
  public void listContainers(ListContainersRequest r, StreamObserver<ListContainersResponse> out) {
    Calls.unary("ListContainers", out, () -> containers.list(r));
  }

  @Override
  public void streamContainers(StreamContainersRequest r, StreamObserver<StreamContainersResponse> out) {
    Calls.pages("StreamContainers", out, () -> containers.list(ListContainersRequest.newBuilder()
        .setFilter(r.getFilter()).build()).getContainersList(),
        page -> StreamContainersResponse.newBuilder().addAllContainers(page).build());
  }

  @Override
  public void containerStatus(ContainerStatusRequest r, StreamObserver<ContainerStatusResponse> out) {
    Calls.unary("ContainerStatus", out, () -> containers.status(r));
  }

  @Override
  public void updateContainerResources(UpdateContainerResourcesRequest r,
      StreamObserver<UpdateContainerResourcesResponse> out) {
    Calls.unary("UpdateContainerResources", out, () -> {
      containers.update(r);
      return UpdateContainerResourcesResponse.getDefaultInstance();
    });
  }

  @Override
  public void reopenContainerLog(ReopenContainerLogRequest r, StreamObserver<ReopenContainerLogResponse> out) {
    Calls.unary("ReopenContainerLog", out, () -> {
      containers.reopenLog(r.getContainerId());
      return ReopenContainerLogResponse.getDefaultInstance();
    });
  }

  @Override
  public void execSync(ExecSyncRequest r, StreamObserver<ExecSyncResponse> out) {
    Calls.unary("ExecSync", out, () -> containers.execSync(r));
  }

  @Override
  public void exec(ExecRequest r, StreamObserver<ExecResponse> out) {
    Calls.unary("Exec", out, () -> ExecResponse.newBuilder().setUrl(streams.exec(r)).build());
  }

  @Override
  public void attach(AttachRequest r, StreamObserver<AttachResponse> out) {
    Calls.unary("Attach", out, () -> AttachResponse.newBuilder().setUrl(streams.attach(r)).build());
  }

  @Override
  public void portForward(PortForwardRequest r, StreamObserver<PortForwardResponse> out) {
    Calls.unary("PortForward", out, () -> PortForwardResponse.newBuilder().setUrl(streams.portForward(r)).build());
  }

  @Override
  public void containerStats(ContainerStatsRequest r, StreamObserver<ContainerStatsResponse> out) {
    Calls.unary("ContainerStats", out, () -> ContainerStatsResponse.newBuilder()
        .setStats(stats.container(r.getContainerId())).build());
  }

  @Override
  public void listContainerStats(ListContainerStatsRequest r, StreamObserver<ListContainerStatsResponse> out) {
    Calls.unary("ListContainerStats", out, () -> ListContainerStatsResponse.newBuilder()
        .addAllStats(stats.containers(r.getFilter())).build());
  }

  @Override
  public void streamContainerStats(StreamContainerStatsRequest r, StreamObserver<StreamContainerStatsResponse> out) {
    Calls.pages("StreamContainerStats", out, () -> stats.containers(r.getFilter()),
        page -> StreamContainerStatsResponse.newBuilder().addAllContainerStats(page).build());
  }

  @Override
  public void podSandboxStats(PodSandboxStatsRequest r, StreamObserver<PodSandboxStatsResponse> out) {
    Calls.unary("PodSandboxStats", out, () -> PodSandboxStatsResponse.newBuilder()
        .setStats(stats.sandbox(r.getPodSandboxId())).build());
  }

  @Override
  public void listPodSandboxStats(ListPodSandboxStatsRequest r, StreamObserver<ListPodSandboxStatsResponse> out) {
    Calls.unary("ListPodSandboxStats", out, () -> ListPodSandboxStatsResponse.newBuilder()
        .addAllStats(stats.sandboxes(r.getFilter())).build());
  }

  @Override
  public void streamPodSandboxStats(StreamPodSandboxStatsRequest r,
      StreamObserver<StreamPodSandboxStatsResponse> out) {
    Calls.pages("StreamPodSandboxStats", out, () -> stats.sandboxes(r.getFilter()),
        page -> StreamPodSandboxStatsResponse.newBuilder().addAllPodSandboxStats(page).build());
  }

  @Override
  public void checkpointContainer(CheckpointContainerRequest r, StreamObserver<CheckpointContainerResponse> out) {
    Calls.unary("CheckpointContainer", out, () -> {
      throw new io.peapod.base.error.UnimplementedException("CheckpointContainer: peapod does not checkpoint"
          + " containers (runc checkpoint needs CRIU, which this node does not have)");
    });
  }

  @Override
  public void getContainerEvents(GetEventsRequest r, StreamObserver<ContainerEventResponse> out) {
    events.stream((ServerCallStreamObserver<ContainerEventResponse>) out);
  }

  @Override
  public void listMetricDescriptors(ListMetricDescriptorsRequest r, StreamObserver<ListMetricDescriptorsResponse> out) {
    Calls.unary("ListMetricDescriptors", out, ListMetricDescriptorsResponse::getDefaultInstance);
  }

  @Override
  public void streamPodSandboxMetrics(StreamPodSandboxMetricsRequest r,
      StreamObserver<StreamPodSandboxMetricsResponse> out) {
    Calls.pages("StreamPodSandboxMetrics", out, java.util.List::<PodSandboxMetrics>of,
        page -> StreamPodSandboxMetricsResponse.getDefaultInstance());
  }

  @Override
  public void listPodSandboxMetrics(ListPodSandboxMetricsRequest r, StreamObserver<ListPodSandboxMetricsResponse> out) {
    Calls.unary("ListPodSandboxMetrics", out, ListPodSandboxMetricsResponse::getDefaultInstance);
  }
}
