package io.peapod.runtime.api;

import java.time.Instant;

/// What PodSandboxStatus reports: the config it was made from, its state, the pinned network
/// namespace (empty for host networking), the pause process, and the pod IP (empty without CNI).
public record SandboxStatus(String id, PodSandboxConfig config, SandboxState state, Instant createdAt,
    String netnsPath, int pausePid, String ip) {
  public String podUid() {
    return config.uid();
  }

  public int attempt() {
    return config.attempt();
  }

  public boolean ready() {
    return state == SandboxState.READY;
  }
}
