package io.peapod.runtime.api;

import java.util.List;
import java.util.Map;

/// What RunPodSandbox needs: the pod's identity, its hostname, where its logs go, which namespaces its
/// containers share, its published ports and its DNS settings. `logDirectory` is
/// `<logs>/<namespace>_<name>_<uid>`. As CRI's LinuxPodSandboxConfig: `cgroupParent` is where the pod
/// cgroup goes below the runtime's cgroup parent (`kubepods/burstable`; empty: directly below it),
/// `podResources` the pod cgroup's limits (0 = none), `sysctls` the pod's namespaced sysctls.
public record PodSandboxConfig(String name, String namespace, String uid, int attempt, String hostname,
    String logDirectory, NamespaceOptions namespaces, List<PortMapping> portMappings, DnsConfig dns,
    Map<String, String> labels, Map<String, String> annotations, String cgroupParent, Resources podResources,
    Map<String, String> sysctls) {
  /// The label peapod's kubelet puts on its sandboxes: theirs to manage, never a CRI client's.
  public static final String MANAGED_BY = "peapod.io/managed-by";

  public PodSandboxConfig {
    portMappings = List.copyOf(portMappings);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    sysctls = Map.copyOf(sysctls);
    if (!cgroupParent.matches("([a-z0-9_.-]+(/[a-z0-9_.-]+)*)?") || List.of(cgroupParent.split("/")).contains("..")) {
      throw new io.peapod.base.error.InvalidArgumentException("cgroup parent '" + cgroupParent + "' must be a"
          + " relative path of lowercase names without '..'");
    }
  }
}
