package io.peapod.kubelet.sync;

import io.peapod.kubelet.event.EventRecorder;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/// A Warning event for each container instance the kernel's OOM killer ended, once, so that an OOM
/// kill shows in `describe` and `get events` and not only in the container's last state.
final class OomEvents {
  /// The instances already reported, by pod uid.
  private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
  private final EventRecorder events;

  OomEvents(EventRecorder events) {
    this.events = events;
  }

  void report(SyncContext ctx, PodRuntimeState state) {
    for (ContainerStatus c : state.containers()) {
      if (c.state() == ContainerState.EXITED && c.reason().equals("OOMKilled")
          && reported.computeIfAbsent(ctx.uid(), k -> ConcurrentHashMap.newKeySet()).add(c.id())) {
        events.warning(ctx.ref(), "OOMKilled", "Container " + c.name() + " was killed by the kernel's OOM killer"
            + " (exit code " + c.exitCode() + "): it used more memory than its limit");
      }
    }
  }

  void forget(String podUid) {
    reported.remove(podUid);
  }
}
