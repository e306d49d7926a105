package io.peapod.kubelet.podspec;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.Security;
import io.peapod.kubelet.manifest.PodSecurity;
import io.peapod.runtime.api.Seccomp;
import io.peapod.runtime.api.SecurityContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/// Kubelet's security decisions for one container: the pod's `securityContext` under the container's
/// own (the container wins field by field), `fsGroup` among the supplemental groups, no_new_privs
/// when `allowPrivilegeEscalation: false`, the seccomp profile (the node's default when neither
/// names one), the `runAsNonRoot` check against the image's user, and which sysctls a pod may set.
public final class SecurityContexts {
  /// kubelet's safe sysctls: namespaced, and unable to hurt other pods.
  static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
  /// Sysctls that live in a namespace a pod has of its own (IPC or network), by prefix.
  private static final List<String> NAMESPACED = List.of("kernel.shm", "kernel.msg", "kernel.sem", "fs.mqueue.",
      "net.");
  private final NodeSecurity node;

  public SecurityContexts(NodeSecurity node) {
    this.node = node;
  }

  public java.nio.file.Path profileRoot() {
    return node.seccompProfileRoot();
  }

  public SecurityContext of(PodManifest pod, ContainerSpec c) {
    Security s = c.security();
    PodSecurity p = pod.security();
    List<Long> groups = new ArrayList<>(p.supplementalGroups());
    p.fsGroup().filter(g -> !groups.contains(g)).ifPresent(groups::add);
    boolean noNewPrivs = s.allowPrivilegeEscalation().map(allow -> !allow).orElse(false);
    return new SecurityContext(s.privileged(), s.runAsUser().or(p::runAsUser), s.runAsGroup().or(p::runAsGroup),
        groups, s.readOnlyRootFilesystem(), s.addCapabilities(), s.dropCapabilities(), noNewPrivs,
        seccomp(pod, c), !s.procMount().equals("Unmasked"));
  }

  private Seccomp seccomp(PodManifest pod, ContainerSpec c) {
    Optional<io.peapod.kubelet.manifest.Seccomp> wanted = c.security().seccompProfile()
        .or(() -> pod.security().seccompProfile());
    if (wanted.isEmpty()) {
      return node.seccompDefault() ? new Seccomp.RuntimeDefault() : new Seccomp.Unconfined();
    }
    return switch (wanted.get().type()) {
      case "RuntimeDefault" -> new Seccomp.RuntimeDefault();
      case "Unconfined" -> new Seccomp.Unconfined();
      default -> new Seccomp.Localhost(node.seccompProfileRoot().resolve(wanted.get().localhostProfile()));
    };
  }

  /// The `Localhost` profile a container needs, if any, to check it resolves beneath the profile root.
  public Optional<Path> localhostProfile(PodManifest pod, ContainerSpec c) {
    return seccomp(pod, c) instanceof Seccomp.Localhost l ? Optional.of(l.profile()) : Optional.empty();
  }

  /// kubelet's `verifyRunAsNonRoot`: empty when the container may run, else why not. `imageUser` is the
  /// image config's `User` (`uid`, `name`, `uid:gid`; empty means root).
  public static Optional<String> runAsNonRootViolation(PodManifest pod, ContainerSpec c, String imageUser) {
    boolean required = c.security().runAsNonRoot().or(() -> pod.security().runAsNonRoot()).orElse(false);
    if (!required) {
      return Optional.empty();
    }
    Optional<Long> uid = c.security().runAsUser().or(() -> pod.security().runAsUser());
    if (uid.isPresent()) {
      return uid.get() == 0 ? Optional.of("container's runAsUser breaks non-root policy (pod: \"" + pod.name()
          + "_" + pod.namespace() + "\", container: " + c.name() + ")") : Optional.empty();
    }
    String user = imageUser.split(":", 2)[0];
    if (user.isEmpty() || user.equals("0") || user.equals("root")) {
      return Optional.of("container has runAsNonRoot and image will run as root (pod: \"" + pod.name() + "_"
          + pod.namespace() + "\", container: " + c.name() + ")");
    }
    if (!user.matches("\\d+")) {
      return Optional.of("container has runAsNonRoot and image has non-numeric user (" + user + "), cannot verify"
          + " user is non-root (pod: \"" + pod.name() + "_" + pod.namespace() + "\", container: " + c.name() + ")");
    }
    return Optional.empty();
  }

  /// Refuses what this node will not run: a sysctl that is not namespaced, or is namespaced but neither
  /// safe nor allowed by `--allowed-unsafe-sysctls`, or lives in a namespace the pod shares with the host;
  /// and `hostUsers: false` where the host cannot make user namespaces for pods.
  public void admit(PodManifest pod, String where) {
    if (!pod.hostUsers() && node.userNamespaces().isPresent()) {
      throw new InvalidArgumentException(where + ": spec.hostUsers: false cannot be honoured on this node: "
          + node.userNamespaces().get() + "; remove it to run the pod in the host's user namespace");
    }
    for (String name : pod.security().sysctls().keySet()) {
      String field = where + ": spec.securityContext.sysctls '" + name + "'";
      if (NAMESPACED.stream().noneMatch(name::startsWith)) {
        throw new InvalidArgumentException(field + " is not a namespaced sysctl; setting it would change the whole"
            + " node");
      }
      if (name.startsWith("net.") && pod.hostNetwork()) {
        throw new InvalidArgumentException(field + " may not be set in a pod with hostNetwork");
      }
      if (!name.startsWith("net.") && pod.hostIpc()) {
        throw new InvalidArgumentException(field + " may not be set in a pod with hostIPC");
      }
      if (!SAFE_SYSCTLS.contains(name) && node.allowedUnsafeSysctls().stream().noneMatch(a -> a.equals(name)
          || (a.endsWith("*") && name.startsWith(a.substring(0, a.length() - 1))))) {
        throw new InvalidArgumentException(field + " is unsafe; the daemon must allow it with"
            + " --allowed-unsafe-sysctls=" + name);
      }
    }
  }
}
