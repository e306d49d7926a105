package io.peapod.cri.service;

import io.grpc.Status;
import io.peapod.base.json.Json;
import io.peapod.cri.mapping.ContainerConfigs;
import io.peapod.cri.mapping.Filters;
import io.peapod.cri.mapping.SandboxConfigs;
import io.peapod.cri.mapping.Statuses;
import io.peapod.cri.v1.ContainerStatusRequest;
import io.peapod.cri.v1.ContainerStatusResponse;
import io.peapod.cri.v1.CreateContainerRequest;
import io.peapod.cri.v1.CreateContainerResponse;
import io.peapod.cri.v1.ExecSyncRequest;
import io.peapod.cri.v1.ExecSyncResponse;
import io.peapod.cri.v1.ListContainersRequest;
import io.peapod.cri.v1.ListContainersResponse;
import io.peapod.cri.v1.UpdateContainerResourcesRequest;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.ExecResult;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import com.google.protobuf.ByteString;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/// The container RPCs. Stop and remove of a container that is gone succeed; ExecSync's timeout
/// ends in DEADLINE_EXCEEDED, which kubelet's exec probes read as a timed-out probe.
final class Containers {
  private static final Logger LOG = System.getLogger(Containers.class.getName());
  /// ExecSync's timeout 0 means none; a day stands for that.
  private static final Duration NO_TIMEOUT = Duration.ofDays(1);
  private final RuntimeService runtime;
  private final Ids ids;

  Containers(RuntimeService runtime, Ids ids) {
    this.runtime = runtime;
    this.ids = ids;
  }

  CreateContainerResponse create(CreateContainerRequest r) {
    SandboxStatus s = ids.sandbox(r.getPodSandboxId());
    if (!s.ready()) {
      throw new FailedPreconditionException("pod sandbox " + s.id() + " is not ready; run a new sandbox");
    }
    return CreateContainerResponse.newBuilder()
        .setContainerId(runtime.createContainer(s.id(), ContainerConfigs.fromCri(r.getConfig(), s.config()))).build();
  }

  void start(String id) {
    runtime.startContainer(ids.container(id).id());
  }

  void stop(String id, long timeoutSeconds) {
    Duration timeout = Duration.ofSeconds(Math.max(0, timeoutSeconds));
    ids.containerIfAny(id).ifPresent(c -> runtime.stopContainer(c.id(), timeout));
  }

  void remove(String id) {
    ids.containerIfAny(id).ifPresent(c -> runtime.removeContainer(c.id()));
  }

  ContainerStatusResponse status(ContainerStatusRequest r) {
    ContainerStatus c = ids.container(r.getContainerId());
    ContainerStatusResponse.Builder b = ContainerStatusResponse.newBuilder().setStatus(Statuses.containerStatus(c));
    if (r.getVerbose()) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("pid", c.pid());
      info.put("sandboxID", c.sandboxId());
      info.put("imageID", c.imageId());
      b.putInfo("info", Json.write(info));
    }
    return b.build();
  }

  ListContainersResponse list(ListContainersRequest r) {
    return ListContainersResponse.newBuilder().addAllContainers(runtime.listContainers(Optional.empty()).stream()
        .filter(Filters.containers(r.getFilter())).map(Statuses::container).toList()).build();
  }

  /// The same fields as at creation are applied or refused; an `oom_score_adj` or swap limit here is
  /// left as it was (as containerd does), and the log says so.
  void update(UpdateContainerResourcesRequest r) {
    ContainerStatus c = ids.container(r.getContainerId());
    Resources wanted = SandboxConfigs.resources(r.getLinux(), "UpdateContainerResourcesRequest.linux");
    if (wanted.oomScoreAdj() != 0 || r.getLinux().getMemorySwapLimitInBytes() != 0) {
      LOG.log(Logger.Level.INFO, "UpdateContainerResources {0}: oom_score_adj and memory_swap_limit_in_bytes are"
          + " not changed after creation", c.id());
    }
    runtime.updateContainerResources(c.id(), new Resources(wanted.cpuShares(), wanted.cpuQuota(), wanted.cpuPeriod(),
        wanted.memoryLimitBytes(), 0));
  }

  void reopenLog(String id) {
    runtime.reopenContainerLog(ids.container(id).id());
  }

  ExecSyncResponse execSync(ExecSyncRequest r) {
    ContainerStatus c = ids.container(r.getContainerId());
    if (r.getCmdCount() == 0) {
      throw new io.peapod.base.error.InvalidArgumentException("ExecSyncRequest.cmd is empty; give the command to run");
    }
    Duration timeout = r.getTimeout() > 0 ? Duration.ofSeconds(r.getTimeout()) : NO_TIMEOUT;
    ExecResult result = runtime.execSync(c.id(), r.getCmdList(), timeout);
    if (result.timedOut()) {
      throw Status.DEADLINE_EXCEEDED.withDescription("command " + r.getCmdList() + " in container " + c.id()
          + " timed out after " + r.getTimeout() + "s").asRuntimeException();
    }
    return ExecSyncResponse.newBuilder().setExitCode(result.exitCode()).setStdout(ByteString.copyFrom(result.stdout()))
        .setStderr(ByteString.copyFrom(result.stderr())).build();
  }
}
