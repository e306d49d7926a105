package io.peapod.kubelet.manifest;

import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.Dns;
import io.peapod.kubelet.manifest.PodManifest.EphemeralContainer;
import io.peapod.kubelet.manifest.PodManifest.HostAlias;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/// A pod's metadata and spec (a Pod's own, or a workload's template) into a [PodManifest].
final class PodSpecParser {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
  private final Fields f;
  private final ContainerParser containers;
  private final VolumeParser volumes;
  private final SecurityParser security;

  PodSpecParser(Fields f) {
    this.f = f;
    EnvParser env = new EnvParser(f);
    this.containers = new ContainerParser(f, env);
    this.volumes = new VolumeParser(f, env);
    this.security = new SecurityParser(f);
  }

  PodManifest pod(Map<String, Object> meta, Map<String, Object> spec, String origin) {
    String name = f.string(meta.get("name"), "metadata.name");
    if (meta.containsKey("generateName") && name.isEmpty()) {
      throw f.error("metadata.generateName", "is not supported; set metadata.name");
    }
    f.dnsLabel(name, "metadata.name");
    String namespace = f.string(meta.getOrDefault("namespace", "default"), "metadata.namespace");
    f.dnsLabel(namespace, "metadata.namespace");
    String restartPolicy = f.oneOf(spec.get("restartPolicy"), "spec.restartPolicy", "Always",
        List.of("Always", "OnFailure", "Never"));
    List<VolumeSpec> volumes = this.volumes.volumes(spec.get("volumes"));
    Set<String> volumeNames = new HashSet<>();
    volumes.forEach(v -> volumeNames.add(v.name()));
    boolean hostUsers = !spec.containsKey("hostUsers") || f.bool(spec.get("hostUsers"), "spec.hostUsers");
    Set<String> containerNames = new HashSet<>();
    List<ContainerSpec> inits = containerList(spec, "spec.initContainers", volumeNames, containerNames, true,
        hostUsers);
    List<ContainerSpec> apps = containerList(spec, "spec.containers", volumeNames, containerNames, false, hostUsers);
    if (apps.isEmpty()) {
      throw f.error("spec.containers", "must have at least one container");
    }
    List<EphemeralContainer> ephemeral = ephemeralList(spec, volumeNames, containerNames, inits, apps, hostUsers);
    long grace = f.number(spec.get("terminationGracePeriodSeconds"), "spec.terminationGracePeriodSeconds", 30, 0,
        Long.MAX_VALUE);
    Optional<Long> deadline = spec.containsKey("activeDeadlineSeconds")
        ? Optional.of(f.number(spec.get("activeDeadlineSeconds"), "spec.activeDeadlineSeconds", 0, 1, Long.MAX_VALUE))
        : Optional.empty();
    String hostname = f.string(spec.getOrDefault("hostname", name), "spec.hostname");
    f.dnsLabel(hostname, "spec.hostname");
    String dnsPolicy = f.oneOf(spec.get("dnsPolicy"), "spec.dnsPolicy", "ClusterFirst",
        List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"));
    Dns dns = dns(spec);
    if (dnsPolicy.equals("None") && dns.nameservers().isEmpty()) {
      throw f.error("spec.dnsPolicy", "None needs spec.dnsConfig.nameservers");
    }
    Map<String, String> labels = f.stringMap(meta.get("labels"), "metadata.labels");
    Map<String, String> annotations = f.stringMap(meta.get("annotations"), "metadata.annotations");
    try {
      labels.forEach((k, v) -> {
        MetadataKeys.checkKey(k, "label");
        MetadataKeys.checkLabelValue(k, v);
      });
      annotations.keySet().forEach(k -> MetadataKeys.checkKey(k, "annotation"));
    } catch (io.peapod.base.error.InvalidArgumentException e) {
      throw new io.peapod.base.error.InvalidArgumentException(f.where() + ": metadata: " + e.getMessage(), e);
    }
    return new PodManifest(name, namespace, labels, annotations, owners(meta), origin,
        f.bool(spec.get("shareProcessNamespace"), "spec.shareProcessNamespace"),
        f.bool(spec.get("hostNetwork"), "spec.hostNetwork"), f.bool(spec.get("hostPID"), "spec.hostPID"),
        f.bool(spec.get("hostIPC"), "spec.hostIPC"), restartPolicy, grace, deadline, hostname, inits, apps, volumes,
        aliases(spec), dnsPolicy, dns, pullSecrets(spec), security.pod(spec.get("securityContext")), hostUsers,
        ephemeral);
  }

  private List<EphemeralContainer> ephemeralList(Map<String, Object> spec, Set<String> volumeNames, Set<String> names,
      List<ContainerSpec> inits, List<ContainerSpec> apps, boolean hostUsers) {
    List<EphemeralContainer> out = new ArrayList<>();
    List<Object> cs = f.list(spec.get("ephemeralContainers"), "spec.ephemeralContainers");
    for (int i = 0; i < cs.size(); i++) {
      String at = "spec.ephemeralContainers[" + i + "]";
      EphemeralContainer e = containers.ephemeral(f.map(cs.get(i), at), at, volumeNames, hostUsers);
      if (!names.add(e.container().name())) {
        throw f.error(at + ".name", "'" + e.container().name() + "' is used twice (names are unique across init, app"
            + " and ephemeral containers)");
      }
      Optional<String> target = e.targetContainerName();
      if (target.isPresent() && java.util.stream.Stream.concat(inits.stream(), apps.stream())
          .noneMatch(c -> c.name().equals(target.get()))) {
        throw f.error(at + ".targetContainerName", "'" + target.get() + "' is not a container of this pod");
      }
      out.add(e);
    }
    return out;
  }

  private List<OwnerReference> owners(Map<String, Object> meta) {
    return OwnerReference.parseAll(f, meta.get("ownerReferences"), "metadata.ownerReferences");
  }

  private List<ContainerSpec> containerList(Map<String, Object> spec, String field, Set<String> volumeNames,
      Set<String> names, boolean init, boolean hostUsers) {
    List<ContainerSpec> out = new ArrayList<>();
    List<Object> cs = f.list(spec.get(field.substring(5)), field);
    for (int i = 0; i < cs.size(); i++) {
      String at = field + "[" + i + "]";
      ContainerSpec c = containers.container(f.map(cs.get(i), at), at, volumeNames, init, hostUsers);
      if (!names.add(c.name())) {
        throw f.error(at + ".name", "'" + c.name() + "' is used twice (names are unique across init and app"
            + " containers)");
      }
      out.add(c);
    }
    return out;
  }

  private List<HostAlias> aliases(Map<String, Object> spec) {
    List<HostAlias> aliases = new ArrayList<>();
    int ai = 0;
    for (Object a : f.list(spec.get("hostAliases"), "spec.hostAliases")) {
      String ap = "spec.hostAliases[" + ai++ + "]";
      Map<String, Object> am = f.map(a, ap);
      String ip = f.string(am.get("ip"), ap + ".ip");
      if (!IPV4.matcher(ip).matches() && !ip.contains(":")) {
        throw f.error(ap + ".ip", "'" + ip + "' is not an IP address");
      }
      aliases.add(new HostAlias(ip, f.strings(am.get("hostnames"), ap + ".hostnames")));
    }
    return aliases;
  }

  private Dns dns(Map<String, Object> spec) {
    if (!spec.containsKey("dnsConfig")) {
      return Dns.NONE;
    }
    Map<String, Object> d = f.map(spec.get("dnsConfig"), "spec.dnsConfig");
    List<String> options = new ArrayList<>();
    for (Object o : f.list(d.get("options"), "spec.dnsConfig.options")) {
      Map<String, Object> om = f.map(o, "spec.dnsConfig.options[]");
      String value = f.string(om.get("value"), "spec.dnsConfig.options[].value");
      options.add(f.string(om.get("name"), "spec.dnsConfig.options[].name") + (value.isEmpty() ? "" : ":" + value));
    }
    return new Dns(f.strings(d.get("nameservers"), "spec.dnsConfig.nameservers"),
        f.strings(d.get("searches"), "spec.dnsConfig.searches"), options);
  }

  private List<String> pullSecrets(Map<String, Object> spec) {
    List<String> names = new ArrayList<>();
    int i = 0;
    for (Object o : f.list(spec.get("imagePullSecrets"), "spec.imagePullSecrets")) {
      String at = "spec.imagePullSecrets[" + i++ + "]";
      String name = f.string(f.map(o, at).get("name"), at + ".name");
      if (!Fields.DNS_SUBDOMAIN.matcher(name).matches()) {
        throw f.error(at + ".name", "'" + name + "' is not a valid secret name");
      }
      names.add(name);
    }
    return names;
  }
}
