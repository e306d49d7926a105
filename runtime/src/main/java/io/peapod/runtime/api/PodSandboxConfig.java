package io.peapod.runtime.api;

import java.util.Map;

/// What RunPodSandbox needs: the pod's identity, its hostname, where its logs go, and which
/// namespaces its containers share. `logDirectory` is `<logs>/<namespace>_<name>_<uid>`.
public record PodSandboxConfig(String name, String namespace, String uid, int attempt, String hostname,
    String logDirectory, NamespaceOptions namespaces, Map<String, String> labels,
    Map<String, String> annotations) {
  public PodSandboxConfig {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }
}
