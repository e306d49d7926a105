package io.peapod.kubelet.podspec;

import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.PortMapping;
import io.peapod.runtime.api.VolumeMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// What the kubelet asks the runtime for, made from a pod's manifest as kubelet's
/// `generatePodSandboxConfig` and `generateContainerConfig` do: namespaces from the host* fields and
/// `shareProcessNamespace`, published ports, DNS, the log directory `<logs>/<ns>_<pod>_<uid>`, and for
/// each container its command, environment, mounts, resources by QoS and security context.
public final class RuntimeConfigs {
  /// On every sandbox the kubelet makes, so that what it did not make (a CRI client's) is left alone.
  public static final String MANAGED_BY = PodSandboxConfig.MANAGED_BY;
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  /// A digest of the container's spec, as kubelet labels it: a container whose spec changed (an
  /// updated image) no longer matches its running instance, which is then replaced.
  public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
  /// A container's position in the pod spec (init containers first): containers start in parallel,
  /// so creation order is not the order kubectl users expect.
  public static final String CONTAINER_INDEX = "peapod.io/container-index";
  private final Path logRoot;
  private final Path nodeResolvConf;
  private final long nodeMemoryBytes;
  private final SecurityContexts security;

  public RuntimeConfigs(Path logRoot, Path nodeResolvConf, long nodeMemoryBytes, SecurityContexts security) {
    this.logRoot = logRoot;
    this.nodeResolvConf = nodeResolvConf;
    this.nodeMemoryBytes = nodeMemoryBytes;
    this.security = security;
  }

  public SecurityContexts security() {
    return security;
  }

  /// The value of [#CONTAINER_HASH] for a container spec. A container without stdin or a terminal hashes
  /// as the spec did before those were honoured, so a daemon upgrade does not replace running containers.
  public static String hash(ContainerSpec c) {
    String text = c.toString();
    String none = ", stdio=" + ContainerStdio.NONE + "]";
    if (text.endsWith(none)) {
      text = text.substring(0, text.length() - none.length()) + "]";
    }
    return Integer.toHexString(text.hashCode());
  }

  public Path logDirectory(PodManifest pod, String uid) {
    return logRoot.resolve(pod.namespace() + "_" + pod.name() + "_" + uid);
  }

  public PodSandboxConfig sandbox(PodManifest pod, String uid, int attempt) {
    var namespaces = new NamespaceOptions(pod.hostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD,
        pod.hostPid() ? NamespaceMode.NODE : pod.shareProcessNamespace() ? NamespaceMode.POD : NamespaceMode.CONTAINER,
        pod.hostIpc() ? NamespaceMode.NODE : NamespaceMode.POD);
    List<PortMapping> ports = new ArrayList<>();
    for (ContainerSpec c : pod.allContainers()) {
      c.ports().stream().filter(p -> p.hostPort() > 0)
          .forEach(p -> ports.add(new PortMapping(p.protocol(), p.containerPort(), p.hostPort(), p.hostIp())));
    }
    Map<String, String> labels = new LinkedHashMap<>(pod.labels());
    labels.put("io.kubernetes.pod.name", pod.name());
    labels.put("io.kubernetes.pod.namespace", pod.namespace());
    labels.put(POD_UID, uid);
    labels.put(MANAGED_BY, "peapod");
    return new PodSandboxConfig(pod.name(), pod.namespace(), uid, attempt, pod.hostname(),
        logDirectory(pod, uid).toString(), namespaces, ports, PodDns.config(pod, nodeResolvConf), labels,
        pod.annotations(), PodResources.cgroupParent(PodResources.qos(pod)), PodResources.pod(pod),
        pod.security().sysctls());
  }

  /// A container's config, with its environment, command and args as [Environment] resolved them.
  /// `pidTarget` is the running container whose process namespace an ephemeral container joins.
  public ContainerConfig container(PodManifest pod, String uid, ContainerSpec c, int attempt,
      List<VolumeMount> mounts, Environment.Resolved env, Optional<String> pidTarget) {
    List<ContainerSpec> ordered = new ArrayList<>(pod.allContainers());
    pod.ephemeralContainers().forEach(e -> ordered.add(e.container()));
    int index = ordered.indexOf(c);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CONTAINER_NAME, c.name());
    labels.put("io.kubernetes.pod.name", pod.name());
    labels.put("io.kubernetes.pod.namespace", pod.namespace());
    labels.put(POD_UID, uid);
    labels.put(CONTAINER_INDEX, String.valueOf(index));
    labels.put(CONTAINER_HASH, hash(c));
    return new ContainerConfig(c.name(), attempt, c.image(), env.command(), env.args(), c.workingDir(), env.env(),
        mounts, c.name() + "/" + attempt + ".log", PodResources.of(pod, c, nodeMemoryBytes), security.of(pod, c),
        labels, Map.of(), c.stdio(), pidTarget, List.of());
  }
}
