package io.peapod.kubelet.manifest;

import java.util.List;
import java.util.Optional;

/// What a pod volume is made from. Modes are octal file modes (`defaultMode`, an item's `mode`).
public sealed interface VolumeSource {
  /// A node path; `type` is hostPath's type check (empty: none).
  record HostPath(String path, String type) implements VolumeSource {}

  /// A directory that lives as long as the pod: on the node's disk, or a tmpfs when `memory`.
  /// `sizeLimitBytes` 0 means none (a tmpfs then gets the pod's memory limit, or half the node's memory).
  record EmptyDir(boolean memory, long sizeLimitBytes) implements VolumeSource {}

  /// A ConfigMap's or Secret's keys as files (`items` picks keys and names their paths; empty: every key).
  record KeyFiles(EnvVar.ObjectKind kind, String object, List<KeyToPath> items, int defaultMode, boolean optional)
      implements VolumeSource {
    public KeyFiles {
      items = List.copyOf(items);
    }
  }

  /// Pod fields as files.
  record DownwardApi(List<DownwardFile> items, int defaultMode) implements VolumeSource {
    public DownwardApi {
      items = List.copyOf(items);
    }
  }

  /// Several of the above in one directory; `defaultMode` is the projected volume's.
  record Projected(List<VolumeSource> sources, int defaultMode) implements VolumeSource {
    public Projected {
      sources = List.copyOf(sources);
    }
  }

  record KeyToPath(String key, String path, Optional<Integer> mode) {}

  /// A downward API file: a pod field (`fieldPath`) or a container's resource.
  record DownwardFile(String path, Optional<String> fieldPath, Optional<EnvVar.ResourceFieldRef> resource,
      Optional<Integer> mode) {}

  /// The sources whose files the kubelet writes and refreshes (configMap, secret, downwardAPI, projected).
  default boolean isWritten() {
    return this instanceof KeyFiles || this instanceof DownwardApi || this instanceof Projected;
  }

  /// True when the files must stay off disk (a secret anywhere in the source).
  default boolean holdsSecrets() {
    return switch (this) {
      case KeyFiles k -> k.kind() == EnvVar.ObjectKind.SECRET;
      case Projected p -> p.sources().stream().anyMatch(VolumeSource::holdsSecrets);
      default -> false;
    };
  }

  /// Kubernetes' default file mode for written volumes (0644).
  int DEFAULT_MODE = 0644;
}
