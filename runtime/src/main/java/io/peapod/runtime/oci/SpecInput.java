package io.peapod.runtime.oci;

import io.peapod.runtime.api.ContainerStdio;
import io.peapod.runtime.api.Resources;
import io.peapod.sys.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Everything [OciSpecs] needs to write one container's `config.json`.
///
/// @param rootfs `root.path`: the root itself, or the empty directory `rootOverlay` is mounted over
/// @param rootOverlay the overlay that is the container's `/`, mounted by the OCI runtime as the first of its
///     mounts, inside the container's mount namespace (see [io.peapod.runtime.snapshot.RootMounter])
/// @param hostname set only for a container that creates the pod's UTS namespace (the pause container)
/// @param capabilities the full capability list (`CAP_*`); ignored when `privileged`
/// @param additionalGids supplemental groups of the process
/// @param seccomp the profile to load, already as OCI's `linux.seccomp` (ignored when `privileged`)
/// @param maskedPaths whether /proc and /sys keep their masked and read-only paths (never when `privileged`)
/// @param sysctls namespaced sysctls, set by the container that makes the namespaces (the pause container)
/// @param stdio whether the process runs on a terminal; all three flags are kept as annotations, for attach
public record SpecInput(List<String> args, List<String> env, String cwd, ProcessUser user, Path rootfs,
    Optional<Mount> rootOverlay, boolean readOnlyRoot, Optional<String> hostname, List<NamespaceJoin> namespaces,
    List<BindMount> mounts, String cgroupsPath, Resources resources, List<String> capabilities, boolean privileged,
    List<Long> additionalGids, boolean noNewPrivileges, Optional<Map<String, Object>> seccomp, boolean maskedPaths,
    Map<String, String> sysctls, ContainerStdio stdio, List<HostDevices.Granted> devices) {
  public SpecInput {
    args = List.copyOf(args);
    env = List.copyOf(env);
    namespaces = List.copyOf(namespaces);
    mounts = List.copyOf(mounts);
    capabilities = List.copyOf(capabilities);
    additionalGids = List.copyOf(additionalGids);
    sysctls = Map.copyOf(sysctls);
    devices = List.copyOf(devices);
  }
}
