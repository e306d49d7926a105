package io.peapod.kubelet;

import java.nio.file.Path;
import java.time.Duration;
import io.peapod.kubelet.podspec.NodeSecurity;
import java.util.Optional;

/// The kubelet layer's settings.
///
/// @param podsRoot per-pod files (`<state>/pods`)
/// @param logRoot container logs in kubelet's layout (`/var/log/pods`)
/// @param backOff the first delay of every back-off (restarts, pulls, creates); kubelet's is 10 s
/// @param maxBackOff the longest delay (kubelet's 5 minutes; its `crashLoopBackOff.maxContainerRestartPeriod`)
/// @param nodeName this node's name (its hostname), as `get pods -o wide` and static pod names show it
/// @param staticPodPath the directory of static pod manifests (kubelet's `staticPodPath`), if any
/// @param nodeIp the node's address (a pod's `status.hostIP`)
public record KubeletConfig(Path podsRoot, Path logRoot, Duration backOff, Duration maxBackOff, long nodeMemoryBytes,
    String nodeName, Optional<Path> staticPodPath, Path nodeResolvConf, Path nodeHosts,
    java.util.function.Supplier<String> nodeIp, NodeSecurity security) {
  /// kubelet's cap on its back-offs.
  public static final Duration MAX_BACK_OFF = Duration.ofMinutes(5);
}
