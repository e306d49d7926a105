package io.peapod.cri.mapping;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cri.v1.ContainerMetadata;
import io.peapod.cri.v1.LinuxContainerConfig;
import io.peapod.cri.v1.NamespaceMode;
import io.peapod.cri.v1.NamespaceOption;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.runtime.api.DeviceMapping;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.VolumeMount;
import java.lang.System.Logger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// CreateContainer's config to the runtime's. The container's namespaces are the sandbox's (the
/// runtime keeps one PID mode per pod), so a container that asks for other ones is refused, except
/// CRI's TARGET pid mode, which joins another container of the sandbox. A caller that sends no
/// namespace options at all (crictl's usual config) gets the sandbox's.
public final class ContainerConfigs {
  private static final Logger LOG = System.getLogger(ContainerConfigs.class.getName());

  private ContainerConfigs() {}

  public static ContainerConfig fromCri(io.peapod.cri.v1.ContainerConfig c, PodSandboxConfig sandbox) {
    ContainerMetadata m = c.getMetadata();
    Names.require(m.getName(), "ContainerConfig.metadata.name");
    if (m.getName().contains("/") || m.getName().equals("..") || m.getName().equals(".")) {
      throw new InvalidArgumentException("ContainerConfig.metadata.name '" + m.getName() + "' may not contain '/' or"
          + " be '.' or '..'");
    }
    Names.require(c.getImage().getImage(), "ContainerConfig.image.image");
    if (c.getCDIDevicesCount() > 0) {
      throw new InvalidArgumentException("ContainerConfig.CDI_devices: peapod has no CDI registry; give the device"
          + " nodes in devices instead");
    }
    LinuxContainerConfig linux = c.getLinux();
    Optional<String> pidTarget = pidTarget(linux, sandbox.namespaces());
    String where = "ContainerConfig.linux.security_context";
    SecurityContexts.ignored(linux.getSecurityContext()).forEach(why ->
        LOG.log(Logger.Level.INFO, "container {0} of {1}/{2}: {3}", m.getName(), sandbox.namespace(), sandbox.name(),
            why));
    List<Map.Entry<String, String>> env = c.getEnvsList().stream()
        .map(kv -> Map.entry(kv.getKey(), kv.getValue().toStringUtf8())).toList();
    String logPath = Names.relative(c.getLogPath().isEmpty() ? m.getName() + "/" + m.getAttempt() + ".log"
        : c.getLogPath(), "ContainerConfig.log_path");
    return new ContainerConfig(m.getName(), m.getAttempt(), c.getImage().getImage(), c.getCommandList(),
        c.getArgsList(), c.getWorkingDir(), env, c.getMountsList().stream().map(ContainerConfigs::mount).toList(),
        logPath, SandboxConfigs.resources(linux.getResources(), "ContainerConfig.linux.resources"),
        SecurityContexts.fromCri(linux.getSecurityContext(), where), c.getLabelsMap(), c.getAnnotationsMap(),
        new ContainerStdio(c.getStdin(), c.getStdinOnce(), c.getTty()), pidTarget,
        c.getDevicesList().stream().map(ContainerConfigs::device).toList());
  }

  private static DeviceMapping device(io.peapod.cri.v1.Device d) {
    String where = "ContainerConfig.devices[" + d.getHostPath() + "]";
    if (!d.getHostPath().startsWith("/") || !d.getContainerPath().startsWith("/")
        || Names.hasDotDot(d.getContainerPath())) {
      throw new InvalidArgumentException(where + ": host_path and container_path must be absolute (container_path"
          + " without '..')");
    }
    String permissions = d.getPermissions().isEmpty() ? "rwm" : d.getPermissions();
    if (!permissions.matches("[rwm]{1,3}")) {
      throw new InvalidArgumentException(where + ": permissions '" + d.getPermissions() + "' must be letters of rwm");
    }
    return new DeviceMapping(d.getContainerPath(), d.getHostPath(), permissions);
  }

  private static Optional<String> pidTarget(LinuxContainerConfig linux, NamespaceOptions sandbox) {
    if (!linux.getSecurityContext().hasNamespaceOptions()) {
      return Optional.empty();
    }
    NamespaceOption o = linux.getSecurityContext().getNamespaceOptions();
    String where = "ContainerConfig.linux.security_context.namespace_options";
    if (o.getPid() == NamespaceMode.TARGET) {
      Names.require(o.getTargetId(), where + ".target_id");
      return Optional.of(o.getTargetId());
    }
    NamespaceOptions asked = Namespaces.fromCri(o, where);
    if (!asked.equals(sandbox)) {
      throw new InvalidArgumentException(where + " " + asked + " differ from the sandbox's " + sandbox + "; a"
          + " container shares its sandbox's namespaces (TARGET pid mode excepted)");
    }
    return Optional.empty();
  }

  private static VolumeMount mount(io.peapod.cri.v1.Mount m) {
    String where = "ContainerConfig.mounts[" + m.getContainerPath() + "]";
    if (!m.getContainerPath().startsWith("/") || Names.hasDotDot(m.getContainerPath())) {
      throw new InvalidArgumentException(where + ": container_path must be absolute without '..'");
    }
    if (!m.getHostPath().startsWith("/") || Names.hasDotDot(m.getHostPath())) {
      throw new InvalidArgumentException(where + ": host_path '" + m.getHostPath() + "' must be absolute without"
          + " '..'");
    }
    if (!m.getImage().getImage().isEmpty()) {
      throw new InvalidArgumentException(where + ": image volumes are not supported by peapod");
    }
    if (m.getUidMappingsCount() > 0 || m.getGidMappingsCount() > 0) {
      throw new InvalidArgumentException(where + ": id-mapped mounts need a runc with idmapped mount support; this"
          + " node's runc 1.1.5 has none");
    }
    if (m.getRecursiveReadOnly()) {
      throw new InvalidArgumentException(where + ": recursive_read_only needs a runc with rro mounts; this node's"
          + " runc 1.1.5 has none (Status reports recursive_read_only_mounts false)");
    }
    if (m.getMountOptionsCount() > 0) {
      throw new InvalidArgumentException(where + ": mount_options " + m.getMountOptionsList() + " are not applied by"
          + " peapod; leave them out");
    }
    VolumeMount.Propagation p = switch (m.getPropagation()) {
      case PROPAGATION_PRIVATE -> VolumeMount.Propagation.PRIVATE;
      case PROPAGATION_HOST_TO_CONTAINER -> VolumeMount.Propagation.HOST_TO_CONTAINER;
      case PROPAGATION_BIDIRECTIONAL -> VolumeMount.Propagation.BIDIRECTIONAL;
      case UNRECOGNIZED -> throw new InvalidArgumentException(where + ": unknown mount propagation");
    };
    if (m.getSelinuxRelabel()) {
      LOG.log(Logger.Level.INFO, "{0}: selinux_relabel ignored: SELinux is not enabled on this node", where);
    }
    return new VolumeMount(m.getContainerPath(), m.getHostPath(), m.getReadonly(), p);
  }
}
