package io.peapod.cri.mapping;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cri.v1.LinuxContainerSecurityContext;
import io.peapod.cri.v1.LinuxSandboxSecurityContext;
import io.peapod.cri.v1.SecurityProfile;
import io.peapod.runtime.api.Seccomp;
import io.peapod.runtime.api.SecurityContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// CRI's Linux security contexts. SELinux and AppArmor are not enforced on this node (runc here is
/// built without either in use), so their fields are ignored with a logged reason, except a Localhost
/// AppArmor profile, which would promise confinement peapod cannot give and is refused.
final class SecurityContexts {
  private SecurityContexts() {}

  static SecurityContext fromCri(LinuxContainerSecurityContext s, String where) {
    if (s.getApparmor().getProfileType() == SecurityProfile.ProfileType.Localhost
        || s.getApparmorProfile().startsWith("localhost/")) {
      throw new InvalidArgumentException(where + ".apparmor: AppArmor is not enabled on this node, so a Localhost"
          + " profile cannot be applied; leave it out or use RuntimeDefault/Unconfined");
    }
    if (!s.getRunAsUsername().isEmpty() && !s.hasRunAsUser()) {
      throw new InvalidArgumentException(where + ".run_as_username: user names are not resolved by peapod; give"
          + " run_as_user (a numeric id)");
    }
    return new SecurityContext(s.getPrivileged(),
        s.hasRunAsUser() ? Optional.of(s.getRunAsUser().getValue()) : Optional.empty(),
        s.hasRunAsGroup() ? Optional.of(s.getRunAsGroup().getValue()) : Optional.empty(),
        s.getSupplementalGroupsList(), s.getReadonlyRootfs(),
        capabilities(s.getCapabilities().getAddCapabilitiesList()),
        capabilities(s.getCapabilities().getDropCapabilitiesList()), s.getNoNewPrivs(),
        seccomp(s.hasSeccomp() ? Optional.of(s.getSeccomp()) : Optional.empty(), s.getSeccompProfilePath(),
            where + ".seccomp"),
        s.getMaskedPathsCount() > 0 || s.getReadonlyPathsCount() > 0);
  }

  /// What peapod leaves aside in a container's context, each with its reason (for the log).
  static List<String> ignored(LinuxContainerSecurityContext s) {
    List<String> why = new ArrayList<>();
    if (s.hasSelinuxOptions()) {
      why.add("selinux_options ignored: SELinux is not enabled on this node");
    }
    if (s.getApparmor().getProfileType() == SecurityProfile.ProfileType.RuntimeDefault && s.hasApparmor()) {
      why.add("apparmor RuntimeDefault ignored: AppArmor is not enabled on this node");
    }
    if (s.getCapabilities().getAddAmbientCapabilitiesCount() > 0) {
      why.add("add_ambient_capabilities ignored: peapod sets no ambient capabilities");
    }
    return why;
  }

  /// The pause process runs with peapod's own fixed context; what a caller asks of it is noted.
  static List<String> ignoredForSandbox(LinuxSandboxSecurityContext s, String name) {
    List<String> why = new ArrayList<>();
    if (s.hasSelinuxOptions()) {
      why.add("selinux_options ignored: SELinux is not enabled on this node");
    }
    if (s.hasRunAsUser() || s.hasRunAsGroup() || s.getReadonlyRootfs() || s.hasSeccomp()) {
      why.add("the pause process of " + name + " runs as peapod sets it up (its run_as_user/group, readonly_rootfs"
          + " and seccomp are not applied to pause; containers get their own)");
    }
    return why;
  }

  /// CRI sends capability names with or without `CAP_`; the runtime takes them without.
  private static List<String> capabilities(List<String> names) {
    return names.stream().map(n -> n.toUpperCase(java.util.Locale.ROOT).replaceFirst("^CAP_", "")).toList();
  }

  /// The structured profile when given, else the older path form (`runtime/default`, `unconfined`,
  /// `localhost/<path>`); neither means unconfined, as CRI defines it.
  static Seccomp seccomp(Optional<SecurityProfile> profile, String path, String where) {
    if (profile.isPresent()) {
      SecurityProfile p = profile.get();
      return switch (p.getProfileType()) {
        case RuntimeDefault -> new Seccomp.RuntimeDefault();
        case Unconfined -> new Seccomp.Unconfined();
        case Localhost -> localhost(p.getLocalhostRef(), where);
        case UNRECOGNIZED -> throw new InvalidArgumentException(where + ": unknown profile type");
      };
    }
    if (path.isEmpty() || path.equals("unconfined")) {
      return new Seccomp.Unconfined();
    }
    if (path.equals("runtime/default") || path.equals("docker/default")) {
      return new Seccomp.RuntimeDefault();
    }
    if (path.startsWith("localhost/")) {
      return localhost(path.substring("localhost/".length()), where);
    }
    throw new InvalidArgumentException(where + ": seccomp profile path '" + path + "' is not runtime/default,"
        + " unconfined or localhost/<absolute path>");
  }

  private static Seccomp localhost(String ref, String where) {
    if (!ref.startsWith("/") || Names.hasDotDot(ref)) {
      throw new InvalidArgumentException(where + ": localhost profile '" + ref + "' must be an absolute path on the"
          + " node without '..'");
    }
    return new Seccomp.Localhost(Path.of(ref));
  }
}
