package io.peapod.cri.service;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.cri.mapping.Filters;
import io.peapod.cri.mapping.SandboxConfigs;
import io.peapod.cri.mapping.Statuses;
import io.peapod.cri.v1.ListPodSandboxRequest;
import io.peapod.cri.v1.ListPodSandboxResponse;
import io.peapod.cri.v1.PodSandboxStatusRequest;
import io.peapod.cri.v1.PodSandboxStatusResponse;
import io.peapod.cri.v1.RunPodSandboxRequest;
import io.peapod.cri.v1.RunPodSandboxResponse;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.base.error.InternalException;
import io.peapod.base.io.FileTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/// The sandbox RPCs. RunPodSandbox for a pod whose sandbox of the same attempt exists returns that
/// sandbox; stop and remove of a sandbox that is gone succeed.
final class Sandboxes {
  private final RuntimeService runtime;
  private final SandboxConfigs configs;
  private final Ids ids;

  Sandboxes(RuntimeService runtime, SandboxConfigs configs, Ids ids) {
    this.runtime = runtime;
    this.configs = configs;
    this.ids = ids;
  }

  RunPodSandboxResponse run(RunPodSandboxRequest r) {
    if (!r.getRuntimeHandler().isEmpty()) {
      throw new InvalidArgumentException("runtime handler '" + r.getRuntimeHandler() + "' is not configured; peapod"
          + " has one handler, the default (leave runtime_handler empty)");
    }
    PodSandboxConfig c = configs.fromCri(r.getConfig());
    Optional<SandboxStatus> existing = runtime.listPodSandboxes(Optional.of(c.uid())).stream()
        .filter(s -> s.config().name().equals(c.name()) && s.config().namespace().equals(c.namespace())
            && s.attempt() == c.attempt() && !s.config().labels().containsKey(PodSandboxConfig.MANAGED_BY))
        .findFirst();
    return RunPodSandboxResponse.newBuilder().setPodSandboxId(existing.map(SandboxStatus::id)
        .orElseGet(() -> runtime.runPodSandbox(c))).build();
  }

  void stop(String id) {
    ids.sandboxIfAny(id).ifPresent(s -> runtime.stopPodSandbox(s.id()));
  }

  void remove(String id) {
    Optional<SandboxStatus> s = ids.sandboxIfAny(id);
    if (s.isEmpty()) {
      return;
    }
    runtime.removePodSandbox(s.get().id());
    PodSandboxConfig c = s.get().config();
    Path chosen = configs.defaultLogDirectory(c.namespace(), c.name(), c.uid());
    if (c.logDirectory().equals(chosen.toString())
        && runtime.listPodSandboxes(Optional.of(c.uid())).stream().noneMatch(o -> o.config().logDirectory()
            .equals(c.logDirectory()))) {
      try {
        FileTrees.delete(chosen);
      } catch (IOException e) {
        throw new InternalException("remove log directory " + chosen + ": " + e.getMessage(), e);
      }
    }
  }

  PodSandboxStatusResponse status(PodSandboxStatusRequest r) {
    SandboxStatus s = ids.sandbox(r.getPodSandboxId());
    PodSandboxStatusResponse.Builder b = PodSandboxStatusResponse.newBuilder().setStatus(Statuses.sandboxStatus(s));
    if (r.getVerbose()) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("pid", s.pausePid());
      info.put("netns", s.netnsPath());
      info.put("logDirectory", s.config().logDirectory());
      info.put("cgroupParent", s.config().cgroupParent());
      info.put("hostname", s.config().hostname());
      b.putInfo("info", Json.write(info));
    }
    return b.build();
  }

  ListPodSandboxResponse list(ListPodSandboxRequest r) {
    return ListPodSandboxResponse.newBuilder().addAllItems(runtime.listPodSandboxes(Optional.empty()).stream()
        .filter(Filters.sandboxes(r.getFilter())).map(Statuses::sandbox).toList()).build();
  }
}
