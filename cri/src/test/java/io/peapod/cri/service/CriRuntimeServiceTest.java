package io.peapod.cri.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.peapod.cri.mapping.SandboxConfigs;
import io.peapod.cri.stream.StreamRequest;
import io.peapod.cri.v1.*;
import io.peapod.runtime.api.ExecResult;
import io.peapod.testing.FakeRuntime;
import io.peapod.testing.ManualClock;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The CRI mapping on the fake runtime: idempotence as CRI's comments require, filters, error codes,
/// and what reaches the runtime and the streaming server.
class CriRuntimeServiceTest {
  private final FakeRuntime runtime = new FakeRuntime(new ManualClock());
  private final List<StreamRequest> streams = new ArrayList<>();
  private final CriRuntimeService cri = new CriRuntimeService(runtime, new SandboxConfigs(Path.of("/var/log/pods")),
      r -> {
        streams.add(r);
        return URI.create("http://127.0.0.1:1/exec/token" + streams.size());
      }, new CriRuntimeService.Identity("peapod", "test"), java.util.Optional::empty);

  private static PodSandboxConfig sandbox(String name) {
    return PodSandboxConfig.newBuilder().setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("ns")
        .setUid("uid-" + name)).putLabels("app", name).build();
  }

  private String run(String name) {
    Answers<RunPodSandboxResponse> a = new Answers<>();
    cri.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sandbox(name)).build(), a);
    return a.value().getPodSandboxId();
  }

  private String runningContainer(String sandbox, String name) {
    Answers<CreateContainerResponse> a = new Answers<>();
    cri.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox).setConfig(ContainerConfig
        .newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name)).setImage(ImageSpec.newBuilder()
            .setImage("busybox")).putLabels("tier", name).putAnnotations("note", "kept")).build(), a);
    String id = a.value().getContainerId();
    cri.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build(), new Answers<>());
    return id;
  }

  @Test
  void runPodSandbox_forAnExistingSandbox_returnsIt() {
    String first = run("web");
    assertEquals(first, run("web"));
    assertEquals(1, runtime.calls.stream().filter(c -> c.startsWith("runPodSandbox")).count());
  }

  @Test
  void stopAndRemove_ofWhatIsGone_succeed() {
    Answers<StopPodSandboxResponse> stop = new Answers<>();
    cri.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId("nope").build(), stop);
    Answers<RemoveContainerResponse> remove = new Answers<>();
    cri.removeContainer(RemoveContainerRequest.newBuilder().setContainerId("nope").build(), remove);
    assertTrue(stop.completed && remove.completed, "both succeed");
    Answers<ContainerStatusResponse> status = new Answers<>();
    cri.containerStatus(ContainerStatusRequest.newBuilder().setContainerId("nope").build(), status);
    assertEquals(Status.Code.NOT_FOUND, status.error.getCode());
  }

  @Test
  void lists_filterByLabelsStateAndIdPrefix_andKeepLabelsAndAnnotations() {
    String web = run("web");
    run("db");
    String c = runningContainer(web, "app");
    Answers<ListPodSandboxResponse> byLabel = new Answers<>();
    cri.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
        .putLabelSelector("app", "web")).build(), byLabel);
    assertEquals(List.of(web), byLabel.value().getItemsList().stream().map(PodSandbox::getId).toList());
    Answers<ListContainersResponse> running = new Answers<>();
    cri.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder()
        .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING))
        .setId(c.substring(0, 1))).build(), running);
    Container listed = running.value().getContainers(0);
    assertEquals("app", listed.getLabelsOrThrow("tier"));
    assertEquals("kept", listed.getAnnotationsOrThrow("note"));
    Answers<ListContainersResponse> exited = new Answers<>();
    cri.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder()
        .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_EXITED))).build(), exited);
    assertEquals(0, exited.value().getContainersCount());
  }

  @Test
  void execSync_thatTimesOut_isDeadlineExceeded_andOutputIsKept() {
    String c = runningContainer(run("web"), "app");
    runtime.onExec((container, cmd) -> cmd.contains("slow") ? new ExecResult(-1, new byte[0], new byte[0], true)
        : new ExecResult(3, "out".getBytes(), "err".getBytes(), false));
    Answers<ExecSyncResponse> slow = new Answers<>();
    cri.execSync(ExecSyncRequest.newBuilder().setContainerId(c).addCmd("slow").setTimeout(1).build(), slow);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, slow.error.getCode());
    Answers<ExecSyncResponse> fast = new Answers<>();
    cri.execSync(ExecSyncRequest.newBuilder().setContainerId(c).addCmd("fast").build(), fast);
    assertEquals(3, fast.value().getExitCode());
    assertEquals("out", fast.value().getStdout().toStringUtf8());
  }

  @Test
  void exec_registersTheStream_andRefusesBadStreamsAndStoppedContainers() {
    String sandbox = run("web");
    String c = runningContainer(sandbox, "app");
    Answers<ExecResponse> ok = new Answers<>();
    cri.exec(ExecRequest.newBuilder().setContainerId(c).addCmd("sh").setStdin(true).setStdout(true).setTty(true)
        .build(), ok);
    assertEquals("http://127.0.0.1:1/exec/token1", ok.value().getUrl());
    assertEquals(new StreamRequest.Exec(c, List.of("sh"), true, true, true, false), streams.getFirst());
    Answers<ExecResponse> ttyAndStderr = new Answers<>();
    cri.exec(ExecRequest.newBuilder().setContainerId(c).addCmd("sh").setStderr(true).setTty(true).build(),
        ttyAndStderr);
    assertEquals(Status.Code.INVALID_ARGUMENT, ttyAndStderr.error.getCode());
    cri.stopContainer(StopContainerRequest.newBuilder().setContainerId(c).build(), new Answers<>());
    Answers<ExecResponse> stopped = new Answers<>();
    cri.exec(ExecRequest.newBuilder().setContainerId(c).addCmd("sh").setStdout(true).build(), stopped);
    assertEquals(Status.Code.FAILED_PRECONDITION, stopped.error.getCode());
    Answers<PortForwardResponse> badPort = new Answers<>();
    cri.portForward(PortForwardRequest.newBuilder().setPodSandboxId(sandbox).addPort(70000).build(), badPort);
    assertEquals(Status.Code.INVALID_ARGUMENT, badPort.error.getCode());
  }

  @Test
  void updateContainerResources_reachesTheRuntime_andCheckpointIsUnimplementedWithAReason() {
    String c = runningContainer(run("web"), "app");
    cri.updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(c).setLinux(
        LinuxContainerResources.newBuilder().setMemoryLimitInBytes(1 << 20).setCpuShares(512)).build(),
        new Answers<>());
    assertTrue(runtime.calls.contains("updateContainerResources app Resources[cpuShares=512, cpuQuota=0, cpuPeriod=0,"
        + " memoryLimitBytes=1048576, oomScoreAdj=0]"), runtime.calls.toString());
    Answers<UpdateContainerResourcesResponse> cpuset = new Answers<>();
    cri.updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(c).setLinux(
        LinuxContainerResources.newBuilder().setCpusetCpus("0")).build(), cpuset);
    assertEquals(Status.Code.INVALID_ARGUMENT, cpuset.error.getCode(), "refused by name, not dropped");
    assertTrue(cpuset.error.getDescription().contains("cpuset_cpus"), cpuset.error.getDescription());
    Answers<CheckpointContainerResponse> checkpoint = new Answers<>();
    cri.checkpointContainer(CheckpointContainerRequest.newBuilder().setContainerId(c).build(), checkpoint);
    assertEquals(Status.Code.UNIMPLEMENTED, checkpoint.error.getCode());
    assertTrue(checkpoint.error.getDescription().contains("CRIU"), checkpoint.error.getDescription());
  }

  @Test
  void status_saysWhyTheNetworkIsNotReady() {
    CriRuntimeService noNetwork = new CriRuntimeService(runtime, new SandboxConfigs(Path.of("/l")), r -> null,
        new CriRuntimeService.Identity("peapod", "t"), () -> java.util.Optional.of("CNI plugin bridge is missing"));
    Answers<StatusResponse> a = new Answers<>();
    noNetwork.status(StatusRequest.getDefaultInstance(), a);
    RuntimeCondition network = a.value().getStatus().getConditionsList().stream()
        .filter(c -> c.getType().equals("NetworkReady")).findFirst().orElseThrow();
    assertEquals(false, network.getStatus());
    assertEquals("NetworkPluginNotReady", network.getReason());
    assertTrue(network.getMessage().contains("bridge"));
  }
}
