package io.peapod.kubelet.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A pod's `spec.securityContext`: defaults for its containers' user, group, non-root rule and seccomp
/// profile (a container's own setting wins), and what only the pod sets: supplemental groups, the
/// `fsGroup` that owns its volumes, and its namespaced sysctls (name to value, in spec order).
public record PodSecurity(Optional<Long> runAsUser, Optional<Long> runAsGroup, Optional<Boolean> runAsNonRoot,
    List<Long> supplementalGroups, Optional<Long> fsGroup, Optional<Seccomp> seccompProfile,
    Map<String, String> sysctls) {
  public static final PodSecurity DEFAULT = new PodSecurity(Optional.empty(), Optional.empty(), Optional.empty(),
      List.of(), Optional.empty(), Optional.empty(), Map.of());

  public PodSecurity {
    supplementalGroups = List.copyOf(supplementalGroups);
    sysctls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctls));
  }
}
