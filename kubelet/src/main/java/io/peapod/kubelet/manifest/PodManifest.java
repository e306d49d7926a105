package io.peapod.kubelet.manifest;

import java.util.List;
import java.util.Map;

/// A validated pod: metadata, the pod-level settings peapod honours, its containers and volumes.
/// `source` says where it came from (`Pod`, `Job/x`, `Deployment/x`) for messages.
public record PodManifest(String name, String namespace, Map<String, String> labels,
    Map<String, String> annotations, String source, boolean shareProcessNamespace, boolean hostNetwork,
    boolean hostPid, boolean hostIpc, String restartPolicy, long terminationGracePeriodSeconds,
    List<ContainerSpec> containers, List<VolumeSpec> volumes, List<HostAlias> hostAliases, String dnsPolicy,
    Dns dnsConfig, List<String> imagePullSecrets) {
  public PodManifest {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
    hostAliases = List.copyOf(hostAliases);
    imagePullSecrets = List.copyOf(imagePullSecrets);
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

  /// One container of the pod spec. Quantities are already parsed: cpu in millicores, memory in bytes
  /// (0 = unset). `imagePullPolicy` is always set: Kubernetes' default (Always for `:latest` or no tag,
  /// else IfNotPresent) when the manifest has none.
  public record ContainerSpec(String name, String image, String imagePullPolicy, List<String> command,
      List<String> args, String workingDir, List<Map.Entry<String, String>> env, long cpuRequestMilli,
      long cpuLimitMilli, long memoryRequestBytes, long memoryLimitBytes, Security security,
      List<VolumeMountSpec> volumeMounts, List<PortSpec> ports) {
    public ContainerSpec {
      ports = List.copyOf(ports);
      command = List.copyOf(command);
      args = List.copyOf(args);
      env = List.copyOf(env);
      volumeMounts = List.copyOf(volumeMounts);
    }
  }

  public record Security(boolean privileged, Long runAsUser, Long runAsGroup, boolean readOnlyRootFilesystem,
      List<String> addCapabilities, List<String> dropCapabilities) {
    public static final Security DEFAULT = new Security(false, null, null, false, List.of(), List.of());

    public Security {
      addCapabilities = List.copyOf(addCapabilities);
      dropCapabilities = List.copyOf(dropCapabilities);
    }
  }

  public record VolumeMountSpec(String name, String mountPath, boolean readOnly, String subPath) {}

  /// A pod volume: `hostPath` (with its path) or `emptyDir` (path empty).
  public record VolumeSpec(String name, Kind kind, String hostPath) {
    public enum Kind { HOST_PATH, EMPTY_DIR }
  }
}
