package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.Dns;
import io.peapod.kubelet.manifest.PodManifest.HostAlias;
import io.peapod.kubelet.manifest.PodManifest.PortSpec;
import io.peapod.kubelet.manifest.PodManifest.Security;
import io.peapod.kubelet.manifest.PodManifest.VolumeMountSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import io.peapod.image.ref.ImageRef;
import io.peapod.kubelet.manifest.ParsedManifests.PodDocument;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/// Reads Kubernetes YAML (one or more `---`-separated documents) into validated pods. Errors name the
/// file, the field path and what to do; nothing is returned for a file with any error.
public final class ManifestParser {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  public ParsedManifests parse(String yaml, String source) {
    List<Object> docs = new ArrayList<>();
    try {
      for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
        if (doc != null) {
          docs.add(doc);
        }
      }
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      throw new InvalidArgumentException(source + ": malformed YAML at line " + (mark.getLine() + 1) + ", column "
          + (mark.getColumn() + 1) + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new InvalidArgumentException(source + ": malformed YAML: " + e.getMessage());
    }
    if (docs.isEmpty()) {
      throw new InvalidArgumentException(source + ": no objects found (empty file?)");
    }
    List<PodDocument> pods = new ArrayList<>();
    List<SecretManifest> secrets = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Yaml dumper = new Yaml(new DumperOptions());
    for (Object doc : docs) {
      Map<String, Object> obj = map(doc, source, "(document)");
      if ("Secret".equals(obj.get("kind"))) {
        SecretManifest secret = secret(obj, source, warnings);
        if (!names.add("secret " + secret.namespace() + "/" + secret.name())) {
          throw new InvalidArgumentException(source + ": secret " + secret.namespace() + "/" + secret.name()
              + " is defined twice");
        }
        secrets.add(secret);
        continue;
      }
      PodManifest pod = document(obj, source, warnings);
      if (!names.add(pod.namespace() + "/" + pod.name())) {
        throw new InvalidArgumentException(source + ": pod " + pod.namespace() + "/" + pod.name() + " is defined twice");
      }
      pods.add(new PodDocument(pod, dumper.dump(doc)));
    }
    return new ParsedManifests(pods, secrets, warnings);
  }

  private SecretManifest secret(Map<String, Object> obj, String source, List<String> warnings) {
    Map<String, Object> metadata = map(obj.getOrDefault("metadata", Map.of()), source, "metadata");
    String name = string(metadata.get("name"), source, "metadata.name");
    String where = source + ": Secret \"" + name + "\"";
    requireApi(string(obj.get("apiVersion"), source, "apiVersion"), "v1", where);
    checkFields(obj, FieldSchema.SECRET, "", where, warnings);
    if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new InvalidArgumentException(where + ": metadata.name '" + name + "' must be lowercase letters, digits,"
          + " '-' and '.', starting and ending with a letter or digit");
    }
    String namespace = string(metadata.getOrDefault("namespace", "default"), where, "metadata.namespace");
    dnsLabel(namespace, where, "metadata.namespace");
    String type = string(obj.getOrDefault("type", "Opaque"), where, "type");
    Map<String, byte[]> data = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : stringMap(obj.get("data"), where, "data").entrySet()) {
      try {
        data.put(e.getKey(), Base64.getMimeDecoder().decode(e.getValue()));
      } catch (IllegalArgumentException bad) {
        throw new InvalidArgumentException(where + ": data." + e.getKey() + " is not base64 (" + bad.getMessage()
            + "); put plain text under stringData instead");
      }
    }
    stringMap(obj.get("stringData"), where, "stringData")
        .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    if (type.equals(SecretManifest.DOCKER_CONFIG_JSON) && !data.containsKey(".dockerconfigjson")) {
      throw new InvalidArgumentException(where + ": a secret of type " + type + " needs data[.dockerconfigjson]"
          + " (kubectl create secret docker-registry makes one)");
    }
    return new SecretManifest(name, namespace, type, data);
  }

  private PodManifest document(Map<String, Object> obj, String source, List<String> warnings) {
    String kind = string(obj.get("kind"), source, "kind");
    String apiVersion = string(obj.get("apiVersion"), source, "apiVersion");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw new InvalidArgumentException(source + ": apiVersion and kind are required (for a pod: apiVersion: v1,"
          + " kind: Pod)");
    }
    Map<String, Object> metadata = map(obj.getOrDefault("metadata", Map.of()), source, "metadata");
    Map<String, Object> spec = map(obj.getOrDefault("spec", Map.of()), source, "spec");
    String name = string(metadata.get("name"), source, "metadata.name");
    String namespace = string(metadata.getOrDefault("namespace", "default"), source, "metadata.namespace");
    String where = source + ": " + kind + " \"" + name + "\"";
    Map<String, Object> podMeta = metadata;
    Map<String, Object> podSpec;
    String origin;
    switch (kind) {
      case "Pod" -> {
        requireApi(apiVersion, "v1", where);
        checkFields(obj, Map.of("apiVersion", FieldSchema.LEAF, "kind", FieldSchema.LEAF, "metadata",
            FieldSchema.METADATA, "spec", FieldSchema.POD_SPEC, "status", FieldSchema.LEAF), "", where, warnings);
        podSpec = spec;
        origin = "Pod";
      }
      case "Job", "Deployment" -> {
        requireApi(apiVersion, kind.equals("Job") ? "batch/v1" : "apps/v1", where);
        Map<String, Object> template = map(spec.get("template"), where, "spec.template");
        Map<String, Object> templateMeta = map(template.getOrDefault("metadata", Map.of()), where,
            "spec.template.metadata");
        podSpec = map(template.get("spec"), where, "spec.template.spec");
        checkFields(podSpec, FieldSchema.POD_SPEC, "spec", where, warnings);
        podMeta = new LinkedHashMap<>(templateMeta);
        podMeta.put("name", name);
        podMeta.put("namespace", namespace);
        origin = kind + "/" + name;
        if (kind.equals("Deployment")) {
          Object replicas = spec.getOrDefault("replicas", 1);
          if (!Integer.valueOf(1).equals(replicas)) {
            warnings.add(where + ": replicas " + replicas + " requested; peapod runs 1 replica for now");
          }
        }
        if (kind.equals("Job") && !podSpec.containsKey("restartPolicy")) {
          throw new InvalidArgumentException(where + ": spec.template.spec.restartPolicy is required for a Job"
              + " (Never or OnFailure)");
        }
      }
      default -> throw new InvalidArgumentException(where + ": kind " + kind + " is not supported; use Pod, Job,"
          + " Deployment or Secret");
    }
    return pod(podMeta, podSpec, origin, where);
  }

  private static void requireApi(String apiVersion, String want, String where) {
    if (!apiVersion.equals(want)) {
      throw new InvalidArgumentException(where + ": apiVersion " + apiVersion + " is not served; use " + want);
    }
  }

  private PodManifest pod(Map<String, Object> meta, Map<String, Object> spec, String origin, String where) {
    String name = string(meta.get("name"), where, "metadata.name");
    if (meta.containsKey("generateName") && name.isEmpty()) {
      throw new InvalidArgumentException(where + ": metadata.generateName is not supported; set metadata.name");
    }
    dnsLabel(name, where, "metadata.name");
    String namespace = string(meta.getOrDefault("namespace", "default"), where, "metadata.namespace");
    dnsLabel(namespace, where, "metadata.namespace");
    String restartPolicy = string(spec.getOrDefault("restartPolicy", "Always"), where, "spec.restartPolicy");
    if (!List.of("Always", "OnFailure", "Never").contains(restartPolicy)) {
      throw new InvalidArgumentException(where + ": spec.restartPolicy '" + restartPolicy
          + "' must be Always, OnFailure or Never");
    }
    if (spec.containsKey("initContainers")) {
      throw new InvalidArgumentException(where + ": spec.initContainers are not supported yet; remove them or run them"
          + " as a separate pod");
    }
    List<VolumeSpec> volumes = new ArrayList<>();
    Set<String> volumeNames = new HashSet<>();
    int vi = 0;
    for (Object v : list(spec.get("volumes"), where, "spec.volumes")) {
      String path = "spec.volumes[" + vi++ + "]";
      Map<String, Object> vm = map(v, where, path);
      String vname = string(vm.get("name"), where, path + ".name");
      dnsLabel(vname, where, path + ".name");
      if (!volumeNames.add(vname)) {
        throw new InvalidArgumentException(where + ": " + path + ".name '" + vname + "' is used twice");
      }
      if (vm.containsKey("hostPath")) {
        String hp = string(map(vm.get("hostPath"), where, path + ".hostPath").get("path"), where, path + ".hostPath.path");
        cleanAbsolute(hp, where, path + ".hostPath.path");
        volumes.add(new VolumeSpec(vname, VolumeSpec.Kind.HOST_PATH, hp));
      } else if (vm.containsKey("emptyDir")) {
        volumes.add(new VolumeSpec(vname, VolumeSpec.Kind.EMPTY_DIR, ""));
      } else {
        throw new InvalidArgumentException(where + ": " + path + " '" + vname + "': only hostPath and emptyDir volumes"
            + " are supported");
      }
    }
    List<ContainerSpec> containers = new ArrayList<>();
    Set<String> containerNames = new HashSet<>();
    List<Object> cs = list(spec.get("containers"), where, "spec.containers");
    if (cs.isEmpty()) {
      throw new InvalidArgumentException(where + ": spec.containers must have at least one container");
    }
    for (int i = 0; i < cs.size(); i++) {
      ContainerSpec c = container(map(cs.get(i), where, "spec.containers[" + i + "]"), where,
          "spec.containers[" + i + "]", volumeNames);
      if (!containerNames.add(c.name())) {
        throw new InvalidArgumentException(where + ": container name '" + c.name() + "' is used twice");
      }
      containers.add(c);
    }
    long grace = number(spec.getOrDefault("terminationGracePeriodSeconds", 30), where,
        "spec.terminationGracePeriodSeconds");
    List<HostAlias> aliases = new ArrayList<>();
    int ai = 0;
    for (Object a : list(spec.get("hostAliases"), where, "spec.hostAliases")) {
      String ap = "spec.hostAliases[" + ai++ + "]";
      Map<String, Object> am = map(a, where, ap);
      String ip = string(am.get("ip"), where, ap + ".ip");
      if (!IPV4.matcher(ip).matches() && !ip.contains(":")) {
        throw new InvalidArgumentException(where + ": " + ap + ".ip '" + ip + "' is not an IP address");
      }
      aliases.add(new HostAlias(ip, strings(am.get("hostnames"), where, ap + ".hostnames")));
    }
    String dnsPolicy = string(spec.getOrDefault("dnsPolicy", "ClusterFirst"), where, "spec.dnsPolicy");
    if (!List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None").contains(dnsPolicy)) {
      throw new InvalidArgumentException(where + ": spec.dnsPolicy '" + dnsPolicy
          + "' must be ClusterFirst, ClusterFirstWithHostNet, Default or None");
    }
    Dns dns = Dns.NONE;
    if (spec.containsKey("dnsConfig")) {
      Map<String, Object> d = map(spec.get("dnsConfig"), where, "spec.dnsConfig");
      List<String> options = new ArrayList<>();
      for (Object o : list(d.get("options"), where, "spec.dnsConfig.options")) {
        Map<String, Object> om = map(o, where, "spec.dnsConfig.options[]");
        String value = string(om.get("value"), where, "spec.dnsConfig.options[].value");
        options.add(string(om.get("name"), where, "spec.dnsConfig.options[].name") + (value.isEmpty() ? "" : ":" + value));
      }
      dns = new Dns(strings(d.get("nameservers"), where, "spec.dnsConfig.nameservers"),
          strings(d.get("searches"), where, "spec.dnsConfig.searches"), options);
    }
    if (dnsPolicy.equals("None") && dns.nameservers().isEmpty()) {
      throw new InvalidArgumentException(where + ": spec.dnsPolicy None needs spec.dnsConfig.nameservers");
    }
    return new PodManifest(name, namespace, stringMap(meta.get("labels"), where, "metadata.labels"),
        stringMap(meta.get("annotations"), where, "metadata.annotations"), origin,
        bool(spec.get("shareProcessNamespace"), where, "spec.shareProcessNamespace"),
        bool(spec.get("hostNetwork"), where, "spec.hostNetwork"), bool(spec.get("hostPID"), where, "spec.hostPID"),
        bool(spec.get("hostIPC"), where, "spec.hostIPC"), restartPolicy, grace, containers, volumes, aliases, dnsPolicy,
        dns, pullSecrets(spec, where));
  }

  private static List<String> pullSecrets(Map<String, Object> spec, String where) {
    List<String> names = new ArrayList<>();
    int i = 0;
    for (Object o : list(spec.get("imagePullSecrets"), where, "spec.imagePullSecrets")) {
      String at = "spec.imagePullSecrets[" + i++ + "]";
      String name = string(map(o, where, at).get("name"), where, at + ".name");
      if (!DNS_SUBDOMAIN.matcher(name).matches()) {
        throw new InvalidArgumentException(where + ": " + at + ".name '" + name + "' is not a valid secret name");
      }
      names.add(name);
    }
    return names;
  }

  private ContainerSpec container(Map<String, Object> c, String where, String path, Set<String> volumeNames) {
    String name = string(c.get("name"), where, path + ".name");
    dnsLabel(name, where, path + ".name");
    String at = path + " '" + name + "'";
    String image = string(c.get("image"), where, at + ".image");
    if (image.isBlank()) {
      throw new InvalidArgumentException(where + ": " + at + ".image is required");
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(image);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(where + ": " + at + ".image '" + image + "': " + e.getMessage(), e);
    }
    String pull = string(c.getOrDefault("imagePullPolicy", ""), where, at + ".imagePullPolicy");
    if (pull.isEmpty()) {
      pull = ref.digest().isEmpty() && ref.tag().orElse("latest").equals("latest") ? "Always" : "IfNotPresent";
    } else if (!List.of("Always", "IfNotPresent", "Never").contains(pull)) {
      throw new InvalidArgumentException(where + ": " + at + ".imagePullPolicy '" + pull
          + "' must be Always, IfNotPresent or Never");
    }
    List<Map.Entry<String, String>> env = new ArrayList<>();
    int ei = 0;
    for (Object e : list(c.get("env"), where, at + ".env")) {
      String ep = at + ".env[" + ei++ + "]";
      Map<String, Object> em = map(e, where, ep);
      String ename = string(em.get("name"), where, ep + ".name");
      if (!ENV_NAME.matcher(ename).matches()) {
        throw new InvalidArgumentException(where + ": " + ep + ".name '" + ename + "' is not a valid variable name");
      }
      if (em.containsKey("valueFrom")) {
        throw new InvalidArgumentException(where + ": " + ep + ".valueFrom is not supported yet; give a value");
      }
      env.add(new AbstractMap.SimpleImmutableEntry<>(ename, string(em.getOrDefault("value", ""), where, ep + ".value")));
    }
    Map<String, Object> res = map(c.getOrDefault("resources", Map.of()), where, at + ".resources");
    Map<String, String> limits = stringMap(res.get("limits"), where, at + ".resources.limits");
    Map<String, String> requests = new LinkedHashMap<>(limits);
    requests.putAll(stringMap(res.get("requests"), where, at + ".resources.requests"));
    Map<String, Object> sc = map(c.getOrDefault("securityContext", Map.of()), where, at + ".securityContext");
    Map<String, Object> caps = map(sc.getOrDefault("capabilities", Map.of()), where, at + ".securityContext.capabilities");
    Security security = new Security(bool(sc.get("privileged"), where, at + ".securityContext.privileged"),
        sc.containsKey("runAsUser") ? number(sc.get("runAsUser"), where, at + ".securityContext.runAsUser") : null,
        sc.containsKey("runAsGroup") ? number(sc.get("runAsGroup"), where, at + ".securityContext.runAsGroup") : null,
        bool(sc.get("readOnlyRootFilesystem"), where, at + ".securityContext.readOnlyRootFilesystem"),
        strings(caps.get("add"), where, at + ".securityContext.capabilities.add"),
        strings(caps.get("drop"), where, at + ".securityContext.capabilities.drop"));
    List<VolumeMountSpec> mounts = new ArrayList<>();
    int mi = 0;
    for (Object m : list(c.get("volumeMounts"), where, at + ".volumeMounts")) {
      String mp = at + ".volumeMounts[" + mi++ + "]";
      Map<String, Object> mm = map(m, where, mp);
      String vname = string(mm.get("name"), where, mp + ".name");
      if (!volumeNames.contains(vname)) {
        throw new InvalidArgumentException(where + ": " + mp + " names volume '" + vname
            + "', which is not in spec.volumes");
      }
      String mountPath = string(mm.get("mountPath"), where, mp + ".mountPath");
      cleanAbsolute(mountPath, where, mp + ".mountPath");
      String subPath = string(mm.getOrDefault("subPath", ""), where, mp + ".subPath");
      if (subPath.startsWith("/") || List.of(subPath.split("/")).contains("..")) {
        throw new InvalidArgumentException(where + ": " + mp + ".subPath '" + subPath
            + "' must be a relative path without '..'");
      }
      mounts.add(new VolumeMountSpec(vname, mountPath, bool(mm.get("readOnly"), where, mp + ".readOnly"), subPath));
    }
    List<PortSpec> ports = new ArrayList<>();
    int pi = 0;
    for (Object o : list(c.get("ports"), where, at + ".ports")) {
      String pp = at + ".ports[" + pi++ + "]";
      Map<String, Object> pm = map(o, where, pp);
      int containerPort = (int) number(pm.get("containerPort"), where, pp + ".containerPort");
      int hostPort = pm.containsKey("hostPort") ? (int) number(pm.get("hostPort"), where, pp + ".hostPort") : 0;
      for (int port : new int[] {containerPort, hostPort}) {
        if (port < 0 || port > 65535 || (port == 0 && port == containerPort)) {
          throw new InvalidArgumentException(where + ": " + pp + ": port " + port + " must be within 1-65535");
        }
      }
      String protocol = string(pm.getOrDefault("protocol", "TCP"), where, pp + ".protocol");
      if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
        throw new InvalidArgumentException(where + ": " + pp + ".protocol '" + protocol + "' must be TCP, UDP or SCTP");
      }
      ports.add(new PortSpec(string(pm.get("name"), where, pp + ".name"), containerPort, hostPort, protocol,
          string(pm.get("hostIP"), where, pp + ".hostIP")));
    }
    return new ContainerSpec(name, image, pull, strings(c.get("command"), where, at + ".command"),
        strings(c.get("args"), where, at + ".args"), string(c.getOrDefault("workingDir", ""), where, at + ".workingDir"),
        env, requests.containsKey("cpu") ? Quantities.cpuMilli(requests.get("cpu"), where + ": " + at + ".resources") : 0,
        limits.containsKey("cpu") ? Quantities.cpuMilli(limits.get("cpu"), where + ": " + at + ".resources") : 0,
        requests.containsKey("memory") ? Quantities.bytes(requests.get("memory"), where + ": " + at + ".resources") : 0,
        limits.containsKey("memory") ? Quantities.bytes(limits.get("memory"), where + ": " + at + ".resources") : 0,
        security, mounts, ports);
  }

  /// Warns of fields not in the schema, as `kubectl apply` does for unknown fields.
  private static void checkFields(Map<String, Object> obj, Map<String, Object> schema, String prefix, String where,
      List<String> warnings) {
    for (Map.Entry<String, Object> e : obj.entrySet()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      String generic = path.replaceAll("\\[\\d+]", "[]");
      Object sub = schema.get(e.getKey());
      if (sub == null) {
        warnings.add("Warning: " + where + ": unknown field \"" + path + "\"");
      } else if (FieldSchema.IGNORED.contains(generic)) {
        warnings.add("Warning: " + where + ": field \"" + path + "\" is accepted but not acted on by peapod yet");
      } else if (sub instanceof Map<?, ?> m && e.getValue() instanceof Map<?, ?> v) {
        checkFields(cast(v), cast(m), path, where, warnings);
      } else if (sub instanceof List<?> l && e.getValue() instanceof List<?> items) {
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i) instanceof Map<?, ?> item) {
            checkFields(cast(item), cast((Map<?, ?>) l.getFirst()), path + "[" + i + "]", where, warnings);
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static void dnsLabel(String s, String where, String field) {
    if (s.length() > 63 || !DNS_LABEL.matcher(s).matches()) {
      throw new InvalidArgumentException(where + ": " + field + " '" + s + "' is not a valid DNS label: use at most 63"
          + " lowercase letters, digits and '-', starting and ending with a letter or digit");
    }
  }

  private static void cleanAbsolute(String p, String where, String field) {
    if (!p.startsWith("/") || List.of(p.split("/")).contains("..")) {
      throw new InvalidArgumentException(where + ": " + field + " '" + p + "' must be an absolute path without '..'");
    }
  }

  private static Map<String, Object> map(Object o, String where, String field) {
    if (o == null) {
      throw new InvalidArgumentException(where + ": " + field + " is required");
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw new InvalidArgumentException(where + ": " + field + " must be an object, not " + describe(o));
    }
    return cast(m);
  }

  private static List<Object> list(Object o, String where, String field) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> l)) {
      throw new InvalidArgumentException(where + ": " + field + " must be a list, not " + describe(o));
    }
    return new ArrayList<>(l);
  }

  private static List<String> strings(Object o, String where, String field) {
    List<String> out = new ArrayList<>();
    for (Object x : list(o, where, field)) {
      if (x instanceof Map<?, ?> || x instanceof List<?> || x == null) {
        throw new InvalidArgumentException(where + ": " + field + " must be a list of strings");
      }
      out.add(String.valueOf(x));
    }
    return out;
  }

  private static String string(Object o, String where, String field) {
    if (o == null) {
      return "";
    }
    if (o instanceof Map<?, ?> || o instanceof List<?>) {
      throw new InvalidArgumentException(where + ": " + field + " must be a string, not " + describe(o));
    }
    return String.valueOf(o);
  }

  private static boolean bool(Object o, String where, String field) {
    if (o == null) {
      return false;
    }
    if (!(o instanceof Boolean b)) {
      throw new InvalidArgumentException(where + ": " + field + " must be true or false, not " + describe(o));
    }
    return b;
  }

  private static long number(Object o, String where, String field) {
    if (!(o instanceof Number n)) {
      throw new InvalidArgumentException(where + ": " + field + " must be a whole number, not " + describe(o));
    }
    return n.longValue();
  }

  private static Map<String, String> stringMap(Object o, String where, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) {
      return out;
    }
    map(o, where, field).forEach((k, v) -> out.put(k, string(v, where, field + "." + k)));
    return out;
  }

  private static String describe(Object o) {
    return switch (o) {
      case Map<?, ?> unused -> "an object";
      case List<?> unused -> "a list";
      case String s -> "the string '" + s + "'";
      default -> "'" + o + "'";
    };
  }
}
