package io.peapod.runtime.container;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.ResolvedImage;
import io.peapod.image.manifest.ImageConfig;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.api.Seccomp;
import io.peapod.runtime.api.SecurityContext;
import io.peapod.runtime.api.VolumeMount;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.oci.BindMount;
import io.peapod.runtime.oci.NamespaceJoin;
import io.peapod.runtime.oci.OciSpecs;
import io.peapod.runtime.oci.ProcessUser;
import io.peapod.runtime.oci.SeccompProfiles;
import io.peapod.runtime.oci.HostDevices;
import io.peapod.runtime.oci.SpecInput;
import io.peapod.runtime.sandbox.PodFiles;
import io.peapod.runtime.snapshot.MergedLayers;
import io.peapod.runtime.snapshot.RootMounter;
import io.peapod.sys.Mount;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// What goes into an app container's `config.json`: Kubernetes' rules for command and args over the
/// image's Entrypoint and Cmd, the environment (a default PATH, the image's Env, then the pod spec's),
/// the user, and which of the sandbox's namespaces it joins.
public final class ContainerSpecs {
  /// containerd's default PATH, for images whose config sets none.
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private final RuntimeLayout layout;
  private final CgroupLayout cgroups;
  private final Syscalls sys;

  public ContainerSpecs(RuntimeLayout layout, CgroupLayout cgroups, Syscalls sys) {
    this.layout = layout;
    this.cgroups = cgroups;
    this.sys = sys;
  }

  /// `rootOverlay`, when given, is mounted as the container's `/` over the empty directory `rootfs`
  /// ([RootMounter]). `pidTargetPid` is the host pid of the running container whose PID namespace this one
  /// joins, when the config names one ([ContainerConfig#pidTarget]).
  public SpecInput spec(SandboxStatus sandbox, ContainerConfig cfg, ResolvedImage image, Path rootfs,
      Optional<Mount> rootOverlay, String id, Optional<Integer> pidTargetPid) {
    ImageConfig ic = image.config();
    List<String> args = commandLine(ic, cfg.command(), cfg.args(), "container " + cfg.name());
    Map<String, String> env = new LinkedHashMap<>();
    // As containerd does: a default PATH, which the image's Env may replace, so a command resolves.
    env.put("PATH", DEFAULT_PATH);
    for (String e : ic.env()) {
      int eq = e.indexOf('=');
      env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    env.put("HOSTNAME", sandbox.config().hostname());
    cfg.env().forEach(e -> env.put(e.getKey(), e.getValue()));
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    String cwd = !cfg.workingDir().isEmpty() ? cfg.workingDir() : ic.workingDir();
    SecurityContext sc = cfg.security();
    ProcessUser user = ProcessUser.resolve(ic.user(), sc.runAsUser(), sc.runAsGroup(),
        new MergedLayers(image.layers(), sys)::lines);
    List<String> caps = OciSpecs.capabilities(sc.addCapabilities(), sc.dropCapabilities());

    Path sandboxDir = layout.sandboxDir(sandbox.id());
    var mode = sandbox.config().namespaces();
    List<NamespaceJoin> ns = new ArrayList<>();
    ns.add(NamespaceJoin.fresh(Namespace.MNT));
    ns.add(NamespaceJoin.fresh(Namespace.CGROUP));
    if (mode.network() == NamespaceMode.POD) {
      ns.add(NamespaceJoin.join(Namespace.NET, Path.of(sandbox.netnsPath())));
      ns.add(NamespaceJoin.join(Namespace.UTS, procNs(sandbox.pausePid(), Namespace.UTS)));
    }
    if (mode.ipc() == NamespaceMode.POD) {
      ns.add(NamespaceJoin.join(Namespace.IPC, procNs(sandbox.pausePid(), Namespace.IPC)));
    }
    if (pidTargetPid.isPresent()) {
      ns.add(NamespaceJoin.join(Namespace.PID, procNs(pidTargetPid.get(), Namespace.PID)));
    } else {
      switch (mode.pid()) {
        case POD -> ns.add(NamespaceJoin.join(Namespace.PID, procNs(sandbox.pausePid(), Namespace.PID)));
        case CONTAINER -> ns.add(NamespaceJoin.fresh(Namespace.PID));
        case NODE -> { }
      }
    }
    List<BindMount> mounts = new ArrayList<>(PodFiles.mounts(sandboxDir));
    if (mode.ipc() == NamespaceMode.POD) {
      mounts.add(new BindMount(sandboxDir.resolve("shm").toString(), "/dev/shm", false));
    }
    for (VolumeMount v : cfg.mounts()) {
      mounts.add(new BindMount(v.hostPath(), v.containerPath(), v.readOnly(), switch (v.propagation()) {
        case PRIVATE -> "rprivate";
        case HOST_TO_CONTAINER -> "rslave";
        case BIDIRECTIONAL -> "rshared";
      }));
    }
    return new SpecInput(args, envList, cwd, user, rootfs, rootOverlay, sc.readOnlyRootfs(), Optional.empty(),
        ns, mounts, cgroups.containerPath(cgroups.podPath(sandbox.config().cgroupParent(), sandbox.id()), id),
        cfg.resources(), caps, sc.privileged(), sc.supplementalGroups(), sc.noNewPrivileges(),
        seccomp(sc.seccomp(), caps), sc.maskedPaths(), Map.of(), cfg.stdio(), cfg.devices().stream()
            .map(d -> new HostDevices.Granted(HostDevices.of(Path.of(d.hostPath()), d.containerPath()),
                d.permissions()))
            .toList());
  }

  private static Optional<Map<String, Object>> seccomp(Seccomp profile, List<String> caps) {
    return switch (profile) {
      case Seccomp.Unconfined u -> Optional.empty();
      case Seccomp.RuntimeDefault d -> Optional.of(SeccompProfiles.runtimeDefault(caps));
      case Seccomp.Localhost l -> Optional.of(SeccompProfiles.localhost(l.profile(), caps));
    };
  }

  /// Kubernetes' rules: `command` replaces the image's Entrypoint (and drops its Cmd); `args` replace Cmd.
  public static List<String> commandLine(ImageConfig image, List<String> command, List<String> args, String what) {
    List<String> out = new ArrayList<>();
    if (!command.isEmpty()) {
      out.addAll(command);
      out.addAll(args);
    } else {
      out.addAll(image.entrypoint());
      out.addAll(args.isEmpty() ? image.cmd() : args);
    }
    if (out.isEmpty()) {
      throw new InvalidArgumentException(what + " has no command: set command or args, or use an image with an"
          + " Entrypoint or Cmd");
    }
    return out;
  }

  private static Path procNs(int pid, Namespace ns) {
    return Path.of("/proc/" + pid + "/ns/" + ns.procName());
  }
}
