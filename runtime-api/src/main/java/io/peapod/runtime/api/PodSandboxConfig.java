package io.peapod.runtime.api;

import java.util.List;
import java.util.Map;

/// What RunPodSandbox needs: the pod's identity, its hostname, where its logs go, which namespaces its
/// containers share, its published ports and its DNS settings. `logDirectory` is
/// `<logs>/<namespace>_<name>_<uid>`.
public record PodSandboxConfig(String name, String namespace, String uid, int attempt, String hostname,
    String logDirectory, NamespaceOptions namespaces, List<PortMapping> portMappings, DnsConfig dns,
    Map<String, String> labels, Map<String, String> annotations) {
  public PodSandboxConfig {
    portMappings = List.copyOf(portMappings);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }
}
