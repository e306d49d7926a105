package io.peapod.kubelet.manifest;

import java.util.Map;

/// A validated v1 ConfigMap or Secret: `data` holds the decoded values (a Secret's `stringData` merged
/// over its `data`, a ConfigMap's `binaryData` beside its `data`, as the API server does). `type` is a
/// Secret's type (`Opaque` by default) and empty for a ConfigMap.
public record DataObject(EnvVar.ObjectKind kind, String name, String namespace, String type,
    Map<String, byte[]> data) {
  public static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";

  public DataObject {
    data = Map.copyOf(data);
  }

  /// `secret/name` or `configmap/name`, as kubectl names the object.
  public String ref() {
    return kind.resource() + "/" + name;
  }
}
