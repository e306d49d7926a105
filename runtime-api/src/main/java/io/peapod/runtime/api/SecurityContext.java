package io.peapod.runtime.api;

import java.util.List;
import java.util.Optional;

/// CRI's LinuxContainerSecurityContext, as peapod applies it: privilege, user, group and supplemental
/// groups, a read-only root, capabilities added to or dropped from the default set (names without
/// `CAP_`, or `ALL`), no_new_privs, the seccomp profile, and whether /proc keeps its masked paths.
/// The caller has already merged pod and container settings; a privileged container ignores
/// `seccomp` and the masks, as containerd does.
public record SecurityContext(boolean privileged, Optional<Long> runAsUser, Optional<Long> runAsGroup,
    List<Long> supplementalGroups, boolean readOnlyRootfs, List<String> addCapabilities,
    List<String> dropCapabilities, boolean noNewPrivileges, Seccomp seccomp, boolean maskedPaths) {
  public static final SecurityContext DEFAULT = new SecurityContext(false, Optional.empty(), Optional.empty(),
      List.of(), false, List.of(), List.of(), false, new Seccomp.Unconfined(), true);

  public SecurityContext {
    supplementalGroups = List.copyOf(supplementalGroups);
    addCapabilities = List.copyOf(addCapabilities);
    dropCapabilities = List.copyOf(dropCapabilities);
  }
}
