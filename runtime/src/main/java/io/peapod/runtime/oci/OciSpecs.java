package io.peapod.runtime.oci;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.sys.Namespace;
import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/// Writes OCI runtime spec documents with containerd's CRI defaults (capabilities, masked and read-only
/// paths, devices), clamped to [HostLimits].
public final class OciSpecs {
  /// containerd's default capability set for CRI containers.
  public static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
      "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
  /// Every capability Linux has, by number (bit `i` of a capability mask is `CAPABILITIES.get(i)`).
  public static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
      "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
      "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
      "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
      "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
      "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
      "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
      "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");
  private static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
      "/sys/firmware", "/sys/devices/virtual/powercap");
  private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger");
  private static final Logger LOG = System.getLogger(OciSpecs.class.getName());

  private final HostLimits limits;
  private final Supplier<List<HostDevices.Device>> hostDevices;
  private final boolean cgroupV2;

  /// `hostDevices` is read for each privileged container (devices come and go); on `cgroupV2` a
  /// container's processes are OOM-killed together (`memory.oom.group`), as kubelet sets it for every
  /// container.
  public OciSpecs(HostLimits limits, Supplier<List<HostDevices.Device>> hostDevices, boolean cgroupV2) {
    this.limits = limits;
    this.hostDevices = hostDevices;
    this.cgroupV2 = cgroupV2;
  }

  /// The capability set after Kubernetes' add/drop rules (`ALL` allowed in either list).
  public static List<String> capabilities(List<String> add, List<String> drop) {
    Set<String> caps = new LinkedHashSet<>(DEFAULT_CAPABILITIES);
    if (drop.stream().anyMatch(d -> d.equalsIgnoreCase("ALL"))) {
      caps.clear();
    }
    drop.forEach(d -> caps.remove(capName(d)));
    if (add.stream().anyMatch(a -> a.equalsIgnoreCase("ALL"))) {
      caps.addAll(CAPABILITIES);
    }
    add.stream().filter(a -> !a.equalsIgnoreCase("ALL")).forEach(a -> caps.add(capName(a)));
    return List.copyOf(caps);
  }

  private static String capName(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    String full = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    if (!CAPABILITIES.contains(full) && !upper.equals("ALL")) {
      throw new InvalidArgumentException("unknown capability '" + name + "'");
    }
    return full;
  }

  public Map<String, Object> spec(SpecInput in) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("ociVersion", "1.0.2");
    spec.put("process", process(in));
    spec.put("root", Map.of("path", in.rootfs().toString(), "readonly", in.readOnlyRoot()));
    in.hostname().ifPresent(h -> spec.put("hostname", h));
    spec.put("mounts", mounts(in));
    spec.put("linux", linux(in));
    spec.put("annotations", StdioAnnotations.of(in.stdio()));
    return spec;
  }

  private Map<String, Object> process(SpecInput in) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("terminal", in.stdio().tty());
    // The daemon runs with umask 077; a container gets the usual 022, stated rather than left to the runtime.
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("uid", in.user().uid());
    user.put("gid", in.user().gid());
    user.put("umask", 022);
    if (!in.additionalGids().isEmpty()) {
      user.put("additionalGids", in.additionalGids());
    }
    p.put("user", user);
    p.put("args", in.args());
    p.put("env", in.env());
    p.put("cwd", in.cwd().isEmpty() ? "/" : in.cwd());
    List<String> caps = in.privileged() ? limits.capabilities() : clamp(in.capabilities());
    p.put("capabilities", Map.of("bounding", caps, "effective", caps, "permitted", caps));
    p.put("noNewPrivileges", in.noNewPrivileges() && !in.privileged());
    p.put("rlimits", List.of(
        Map.of("type", "RLIMIT_NOFILE", "hard", limits.nofile(), "soft", limits.nofile()),
        Map.of("type", "RLIMIT_NPROC", "hard", limits.nproc(), "soft", limits.nproc())));
    int wantedOom = in.resources().oomScoreAdj();
    int oom = limits.clampOomScoreAdj(wantedOom);
    if (oom != wantedOom) {
      LOG.log(Logger.Level.DEBUG, "oom_score_adj {0} clamped to {1}: the daemon lacks CAP_SYS_RESOURCE", wantedOom, oom);
    }
    p.put("oomScoreAdj", oom);
    return p;
  }

  /// A capability the daemon's own bounding set lacks cannot be given; runc would fail without saying why.
  private List<String> clamp(List<String> wanted) {
    List<String> missing = wanted.stream().filter(c -> !limits.capabilities().contains(c)).toList();
    if (!missing.isEmpty()) {
      LOG.log(Logger.Level.WARNING, "capabilities {0} not given: the daemon itself lacks them", missing);
    }
    return wanted.stream().filter(limits.capabilities()::contains).toList();
  }

  private static List<Object> mounts(SpecInput in) {
    List<Object> m = new ArrayList<>();
    in.rootOverlay().ifPresent(o -> m.add(mount("/", o.type(), o.source(), o.options())));
    m.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
    m.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
    m.add(mount("/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
    m.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
    m.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", in.privileged() ? "rw" : "ro")));
    m.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime",
        in.privileged() ? "rw" : "ro")));
    boolean hasShm = in.mounts().stream().anyMatch(b -> b.destination().equals("/dev/shm"));
    if (!hasShm) {
      m.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
    }
    for (BindMount b : in.mounts()) {
      m.add(mount(b.destination(), "bind", b.source(), List.of("rbind", b.propagation(), b.readOnly() ? "ro" : "rw")));
    }
    return m;
  }

  private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    m.put("options", options);
    return m;
  }

  private Map<String, Object> linux(SpecInput in) {
    Map<String, Object> l = new LinkedHashMap<>();
    List<Object> namespaces = new ArrayList<>();
    for (NamespaceJoin ns : in.namespaces()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("type", ns.type().ociType());
      ns.path().ifPresent(p -> n.put("path", p.toString()));
      namespaces.add(n);
    }
    l.put("namespaces", namespaces);
    l.put("cgroupsPath", in.cgroupsPath());
    l.put("resources", resources(in));
    if (in.privileged()) {
      l.put("devices", hostDevices.get().stream().map(HostDevices.Device::oci).toList());
    } else {
      if (!in.devices().isEmpty()) {
        l.put("devices", in.devices().stream().map(g -> g.device().oci()).toList());
      }
      in.seccomp().ifPresent(profile -> l.put("seccomp", profile));
      if (in.maskedPaths()) {
        l.put("maskedPaths", MASKED_PATHS);
        l.put("readonlyPaths", READONLY_PATHS);
      }
    }
    if (!in.sysctls().isEmpty()) {
      l.put("sysctl", in.sysctls());
    }
    // A shared or slave mount needs a root mount that is not private, as containerd sets it.
    if (in.mounts().stream().anyMatch(b -> b.propagation().equals("rshared"))) {
      l.put("rootfsPropagation", "rshared");
    } else if (in.mounts().stream().anyMatch(b -> b.propagation().equals("rslave"))) {
      l.put("rootfsPropagation", "rslave");
    }
    boolean ownPidNs = in.namespaces().stream().anyMatch(n -> n.type() == Namespace.PID);
    if (!ownPidNs) {
      // A container in the host's pid namespace must not mask /proc of the host's processes.
      l.remove("maskedPaths");
    }
    return l;
  }

  private Map<String, Object> resources(SpecInput in) {
    Map<String, Object> r = new LinkedHashMap<>();
    List<Object> devices = new ArrayList<>();
    devices.add(Map.of("allow", in.privileged(), "access", "rwm"));
    if (!in.privileged()) {
      for (int[] dev : new int[][] {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {10, 200}}) {
        devices.add(Map.of("allow", true, "type", "c", "major", dev[0], "minor", dev[1], "access", "rwm"));
      }
      devices.add(Map.of("allow", true, "type", "c", "major", 136, "access", "rwm"));
      for (HostDevices.Granted g : in.devices()) {
        devices.add(Map.of("allow", true, "type", g.device().type(), "major", g.device().major(), "minor",
            g.device().minor(), "access", g.access()));
      }
    }
    r.put("devices", devices);
    var res = in.resources();
    if (res.memoryLimitBytes() > 0) {
      r.put("memory", Map.of("limit", res.memoryLimitBytes()));
    }
    Map<String, Object> cpu = new LinkedHashMap<>();
    if (res.cpuShares() > 0) {
      cpu.put("shares", res.cpuShares());
    }
    if (res.cpuQuota() > 0) {
      cpu.put("quota", res.cpuQuota());
      cpu.put("period", res.cpuPeriod() > 0 ? res.cpuPeriod() : 100000);
    }
    if (!cpu.isEmpty()) {
      r.put("cpu", cpu);
    }
    if (cgroupV2) {
      r.put("unified", Map.of("memory.oom.group", "1"));
    }
    return r;
  }
}
