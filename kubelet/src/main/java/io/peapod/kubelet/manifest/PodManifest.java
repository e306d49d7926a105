package io.peapod.kubelet.manifest;

import io.peapod.runtime.api.ContainerStdio;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A validated pod: metadata, the pod-level settings peapod honours, its init and app containers and
/// its volumes. `source` says where it came from (`Pod`, `Job/x`, `Deployment/x`) for messages;
/// `hostname` is `spec.hostname` or the pod's name. `ephemeralContainers` are those `debug` added; they
/// are not in [#allContainers], which are the containers the pod was made with.
public record PodManifest(String name, String namespace, Map<String, String> labels,
    Map<String, String> annotations, List<OwnerReference> ownerReferences, String source, boolean shareProcessNamespace, boolean hostNetwork,
    boolean hostPid, boolean hostIpc, String restartPolicy, long terminationGracePeriodSeconds,
    Optional<Long> activeDeadlineSeconds, String hostname, List<ContainerSpec> initContainers,
    List<ContainerSpec> containers, List<VolumeSpec> volumes, List<HostAlias> hostAliases, String dnsPolicy,
    Dns dnsConfig, List<String> imagePullSecrets, PodSecurity security, boolean hostUsers,
    List<EphemeralContainer> ephemeralContainers) {
  public PodManifest {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    ownerReferences = List.copyOf(ownerReferences);
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
    hostAliases = List.copyOf(hostAliases);
    imagePullSecrets = List.copyOf(imagePullSecrets);
    ephemeralContainers = List.copyOf(ephemeralContainers);
  }

  /// A container added to a running pod to inspect it (`kubectl debug`): it joins the pod's namespaces,
  /// and the process namespace of `targetContainerName` when one is named. It runs once, is never
  /// restarted, and has no ports, probes, resources or hooks.
  public record EphemeralContainer(ContainerSpec container, Optional<String> targetContainerName) {}

  /// The init, app or ephemeral container of that name.
  public Optional<ContainerSpec> container(String name) {
    return java.util.stream.Stream.concat(allContainers().stream(),
        ephemeralContainers.stream().map(EphemeralContainer::container)).filter(c -> c.name().equals(name)).findFirst();
  }

  /// An extra /etc/hosts line.
  public record HostAlias(String ip, List<String> hostnames) {
    public HostAlias {
      hostnames = List.copyOf(hostnames);
    }
  }

  /// `spec.dnsConfig`: options are `name` or `name:value`, as resolv.conf writes them.
  public record Dns(List<String> nameservers, List<String> searches, List<String> options) {
    public static final Dns NONE = new Dns(List.of(), List.of(), List.of());

    public Dns {
      nameservers = List.copyOf(nameservers);
      searches = List.copyOf(searches);
      options = List.copyOf(options);
    }
  }

  /// A `ports[]` entry; `hostPort` 0 means not published.
  public record PortSpec(String name, int containerPort, int hostPort, String protocol, String hostIp) {}

  /// The owner that manages this pod (`controller: true`), if any.
  public Optional<OwnerReference> controller() {
    return ownerReferences.stream().filter(OwnerReference::controller).findFirst();
  }

  /// Every container of the pod, init containers first, in spec order.
  public List<ContainerSpec> allContainers() {
    List<ContainerSpec> all = new java.util.ArrayList<>(initContainers);
    all.addAll(containers);
    return all;
  }

  /// One container of the pod spec. Quantities are already parsed: cpu in millicores, memory in bytes
  /// (0 = unset). `imagePullPolicy` is always set: Kubernetes' default (Always for `:latest` or no tag,
  /// else IfNotPresent) when the manifest has none. `restartPolicy` is set only on an init container
  /// that is a sidecar (`Always`). `terminationMessagePath` defaults to `/dev/termination-log`. `stdio` is
  /// `stdin`, `stdinOnce` and `tty`.
  public record ContainerSpec(String name, String image, String imagePullPolicy, List<String> command,
      List<String> args, String workingDir, List<EnvVar> env, List<EnvVar.From> envFrom, long cpuRequestMilli,
      long cpuLimitMilli, long memoryRequestBytes, long memoryLimitBytes, Security security,
      List<VolumeMountSpec> volumeMounts, List<PortSpec> ports, Optional<Probe> livenessProbe,
      Optional<Probe> readinessProbe, Optional<Probe> startupProbe, Lifecycle lifecycle,
      Optional<String> restartPolicy, String terminationMessagePath, String terminationMessagePolicy,
      ContainerStdio stdio) {
    public ContainerSpec {
      ports = List.copyOf(ports);
      command = List.copyOf(command);
      args = List.copyOf(args);
      env = List.copyOf(env);
      envFrom = List.copyOf(envFrom);
      volumeMounts = List.copyOf(volumeMounts);
    }

    /// An init container that keeps running beside the app containers (Kubernetes' native sidecar).
    public boolean isSidecar() {
      return restartPolicy.filter("Always"::equals).isPresent();
    }

    /// The number of a named port of this container, if it has one of that name.
    public Optional<Integer> port(String portName) {
      return ports.stream().filter(p -> p.name().equals(portName)).map(PortSpec::containerPort).findFirst();
    }
  }

  /// A container's `securityContext`; an empty field falls back to the pod's [PodSecurity].
  /// `procMount` is `Default` or `Unmasked`.
  public record Security(boolean privileged, Optional<Long> runAsUser, Optional<Long> runAsGroup,
      Optional<Boolean> runAsNonRoot, boolean readOnlyRootFilesystem, Optional<Boolean> allowPrivilegeEscalation,
      List<String> addCapabilities, List<String> dropCapabilities, Optional<Seccomp> seccompProfile,
      String procMount) {
    public static final Security DEFAULT = new Security(false, Optional.empty(), Optional.empty(), Optional.empty(),
        false, Optional.empty(), List.of(), List.of(), Optional.empty(), "Default");

    public Security {
      addCapabilities = List.copyOf(addCapabilities);
      dropCapabilities = List.copyOf(dropCapabilities);
    }
  }

  /// A `volumeMounts[]` entry. `subPath` is a `subPathExpr` still to be expanded with the container's
  /// environment when `expand`; `propagation` is `None`, `HostToContainer` or `Bidirectional`.
  public record VolumeMountSpec(String name, String mountPath, boolean readOnly, String subPath, boolean expand,
      String propagation) {}

  public record VolumeSpec(String name, VolumeSource source) {}
}
