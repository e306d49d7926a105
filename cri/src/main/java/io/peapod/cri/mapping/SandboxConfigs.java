package io.peapod.cri.mapping;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cri.v1.LinuxContainerResources;
import io.peapod.cri.v1.LinuxPodSandboxConfig;
import io.peapod.cri.v1.PodSandboxMetadata;
import io.peapod.runtime.api.DnsConfig;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.PortMapping;
import io.peapod.runtime.api.Resources;
import java.lang.System.Logger;
import java.nio.file.Path;
import java.util.List;

/// RunPodSandbox's config to the runtime's. What kubelet decides is taken as given; what a bare client
/// like crictl leaves out gets kubelet's defaults: the log directory `<logs>/<namespace>_<name>_<uid>`
/// and the pod's name as its hostname.
public final class SandboxConfigs {
  private static final Logger LOG = System.getLogger(SandboxConfigs.class.getName());
  private final Path logRoot;

  public SandboxConfigs(Path logRoot) {
    this.logRoot = logRoot;
  }

  public PodSandboxConfig fromCri(io.peapod.cri.v1.PodSandboxConfig c) {
    PodSandboxMetadata m = c.getMetadata();
    Names.require(m.getName(), "PodSandboxConfig.metadata.name");
    Names.require(m.getNamespace(), "PodSandboxConfig.metadata.namespace");
    Names.require(m.getUid(), "PodSandboxConfig.metadata.uid");
    if (c.containsLabels(PodSandboxConfig.MANAGED_BY)) {
      throw new InvalidArgumentException("PodSandboxConfig.labels: " + PodSandboxConfig.MANAGED_BY + " marks the pods"
          + " peapod's own kubelet manages; a CRI client may not set it");
    }
    String logDirectory = c.getLogDirectory().isEmpty() ? defaultLogDirectory(m.getNamespace(), m.getName(),
        m.getUid()).toString() : c.getLogDirectory();
    if (!Path.of(logDirectory).isAbsolute() || Names.hasDotDot(logDirectory)) {
      throw new InvalidArgumentException("PodSandboxConfig.log_directory '" + logDirectory + "' must be an absolute"
          + " path without '..'");
    }
    LinuxPodSandboxConfig linux = c.getLinux();
    NamespaceOptions ns = Namespaces.fromCri(linux.getSecurityContext().getNamespaceOptions(),
        "PodSandboxConfig.linux.security_context.namespace_options");
    if (ns.network() == NamespaceMode.CONTAINER || ns.ipc() == NamespaceMode.CONTAINER) {
      throw new InvalidArgumentException("PodSandboxConfig.linux.security_context.namespace_options: network and ipc"
          + " are POD or NODE for a sandbox, not CONTAINER");
    }
    SecurityContexts.ignoredForSandbox(linux.getSecurityContext(), m.getName()).forEach(why ->
        LOG.log(Logger.Level.INFO, "sandbox {0}/{1}: {2}", m.getNamespace(), m.getName(), why));
    List<PortMapping> ports = c.getPortMappingsList().stream().map(p -> new PortMapping(p.getProtocol().name(),
        p.getContainerPort(), p.getHostPort(), p.getHostIp())).toList();
    return new PodSandboxConfig(m.getName(), m.getNamespace(), m.getUid(), m.getAttempt(),
        c.getHostname().isEmpty() ? m.getName() : c.getHostname(), logDirectory, ns, ports,
        new DnsConfig(c.getDnsConfig().getServersList(), c.getDnsConfig().getSearchesList(),
            c.getDnsConfig().getOptionsList()),
        c.getLabelsMap(), c.getAnnotationsMap(), linux.getCgroupParent().replaceAll("^/+|/+$", ""),
        resources(linux.getResources(), "PodSandboxConfig.linux.resources"), linux.getSysctlsMap());
  }

  /// The log directory peapod chose for a sandbox whose caller named none; it is peapod's to remove with
  /// the sandbox. One the caller named is the caller's (kubelet removes its pods' log directories).
  public Path defaultLogDirectory(String namespace, String name, String uid) {
    return logRoot.resolve(namespace + "_" + name + "_" + uid);
  }

  /// CRI's LinuxContainerResources as the runtime applies them; the fields it does not apply are refused
  /// by name rather than dropped.
  public static Resources resources(LinuxContainerResources r, String where) {
    List<String> unsupported = new java.util.ArrayList<>();
    if (!r.getCpusetCpus().isEmpty()) {
      unsupported.add("cpuset_cpus");
    }
    if (!r.getCpusetMems().isEmpty()) {
      unsupported.add("cpuset_mems");
    }
    if (r.getHugepageLimitsCount() > 0 && r.getHugepageLimitsList().stream().anyMatch(h -> h.getLimit() > 0)) {
      unsupported.add("hugepage_limits");
    }
    if (!r.getUnifiedMap().isEmpty()) {
      unsupported.add("unified");
    }
    if (!unsupported.isEmpty()) {
      throw new InvalidArgumentException(where + ": peapod does not apply " + String.join(", ", unsupported)
          + "; leave them out (cpu shares/quota/period, memory limit and oom_score_adj are applied)");
    }
    return new Resources(r.getCpuShares(), r.getCpuQuota(), r.getCpuPeriod(), r.getMemoryLimitInBytes(),
        (int) r.getOomScoreAdj());
  }
}
