package io.peapod.kubelet.manifest;

import java.math.BigDecimal;

/// One `env` entry of a container: a literal value (already `$(VAR)`-expanded against the entries before
/// it when resolved), or a value the kubelet looks up when it starts the container.
public sealed interface EnvVar {
  String name();

  record Value(String name, String value) implements EnvVar {}

  /// `valueFrom.fieldRef`: a pod field such as `metadata.name` or `metadata.labels['app']`.
  record FieldRef(String name, String fieldPath) implements EnvVar {}

  /// `valueFrom.resourceFieldRef`: a container's request or limit (`limits.memory`) divided by `divisor`.
  record ResourceFieldRef(String name, String containerName, String resource, BigDecimal divisor) implements EnvVar {}

  /// `valueFrom.configMapKeyRef` or `valueFrom.secretKeyRef`.
  record KeyRef(String name, ObjectKind kind, String object, String key, boolean optional) implements EnvVar {}

  /// The two kinds of object a container may read keys from.
  enum ObjectKind {
    CONFIG_MAP("ConfigMap", "configmap"), SECRET("Secret", "secret");

    private final String kind;
    private final String resource;

    ObjectKind(String kind, String resource) {
      this.kind = kind;
      this.resource = resource;
    }

    public String kind() {
      return kind;
    }

    /// The lower-case name kubectl and kubelet's messages use.
    public String resource() {
      return resource;
    }
  }

  /// An `envFrom` entry: every key of a ConfigMap or Secret that is a valid variable name, with `prefix`.
  record From(ObjectKind kind, String object, String prefix, boolean optional) {}
}
