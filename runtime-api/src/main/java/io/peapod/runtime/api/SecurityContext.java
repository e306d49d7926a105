package io.peapod.runtime.api;

import java.util.List;
import java.util.Optional;

/// CRI's LinuxContainerSecurityContext subset: privilege, user and group, a read-only root, and
/// capabilities added to or dropped from the default set (names without `CAP_`, or `ALL`).
public record SecurityContext(boolean privileged, Optional<Long> runAsUser, Optional<Long> runAsGroup,
    boolean readOnlyRootfs, List<String> addCapabilities, List<String> dropCapabilities) {
  public static final SecurityContext DEFAULT =
      new SecurityContext(false, Optional.empty(), Optional.empty(), false, List.of(), List.of());

  public SecurityContext {
    addCapabilities = List.copyOf(addCapabilities);
    dropCapabilities = List.copyOf(dropCapabilities);
  }
}
