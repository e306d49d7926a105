package io.peapod.kubelet.sync;

import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/// kubelet's garbage collection for one pod: of each container, the newest instance and the one before
/// it are kept (for `logs --previous` and `describe`'s Last State), older ended ones are removed with
/// their logs; sandboxes older than the newest are removed once they hold no container.
final class ContainerGc {
  private static final int KEEP = 2;
  private final RuntimeService runtime;
  private final VolumeManager volumes;

  ContainerGc(RuntimeService runtime, VolumeManager volumes) {
    this.runtime = runtime;
    this.volumes = volumes;
  }

  void collect(String podUid, PodRuntimeState state) {
    Set<String> names = new LinkedHashSet<>();
    state.containers().forEach(c -> names.add(c.name()));
    Set<String> removed = new LinkedHashSet<>();
    for (String name : names) {
      List<ContainerStatus> instances = state.instances(name);
      for (ContainerStatus old : instances.subList(Math.min(KEEP, instances.size()), instances.size())) {
        if (old.state() == ContainerState.EXITED) {
          runtime.removeContainer(old.id());
          volumes.forgetInstance(podUid, name, old.attempt());
          removed.add(old.id());
        }
      }
    }
    Optional<SandboxStatus> latest = state.latestSandbox();
    for (SandboxStatus s : state.sandboxes()) {
      boolean empty = state.containers().stream().noneMatch(c -> c.sandboxId().equals(s.id())
          && !removed.contains(c.id()));
      if (!s.ready() && empty && latest.filter(l -> l.id().equals(s.id())).isEmpty()) {
        runtime.removePodSandbox(s.id());
      }
    }
  }
}
