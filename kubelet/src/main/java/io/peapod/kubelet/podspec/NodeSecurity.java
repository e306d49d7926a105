package io.peapod.kubelet.podspec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// The node's security settings, as kubelet's flags of the same names set them.
///
/// @param seccompDefault `RuntimeDefault` for every container that names no profile (`--seccomp-default`)
/// @param seccompProfileRoot where `Localhost` profiles are (`<state>/seccomp`)
/// @param allowedUnsafeSysctls namespaced sysctls beyond the safe set that pods may set, as names or `prefix.*`
/// @param userNamespaces empty when pods may have `hostUsers: false`, else why not on this host
public record NodeSecurity(boolean seccompDefault, Path seccompProfileRoot, List<String> allowedUnsafeSysctls,
    Optional<String> userNamespaces) {
  public NodeSecurity {
    allowedUnsafeSysctls = List.copyOf(allowedUnsafeSysctls);
  }
}
