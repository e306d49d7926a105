package io.peapod.kubelet.manifest;

import io.peapod.kubelet.manifest.EnvVar.ObjectKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/// A container's `env` and `envFrom`, and the downward API's field and resource references they share
/// with `downwardAPI` volumes, validated as the API server validates them.
final class EnvParser {
  static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern LABEL_FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['[^']+']");
  private static final Set<String> ENV_FIELDS = Set.of("metadata.name", "metadata.namespace", "metadata.uid",
      "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
  private static final Set<String> VOLUME_FIELDS = Set.of("metadata.name", "metadata.namespace", "metadata.uid",
      "metadata.labels", "metadata.annotations");
  /// peapod tracks cpu and memory; ephemeral-storage has no requests or limits here.
  private static final Set<String> RESOURCES = Set.of("limits.cpu", "limits.memory", "requests.cpu",
      "requests.memory");
  private final Fields f;

  EnvParser(Fields f) {
    this.f = f;
  }

  List<EnvVar> env(Object o, String at, String container) {
    List<EnvVar> env = new ArrayList<>();
    int i = 0;
    for (Object e : f.list(o, at + ".env")) {
      String ep = at + ".env[" + i++ + "]";
      Map<String, Object> em = f.map(e, ep);
      String name = f.string(em.get("name"), ep + ".name");
      if (!ENV_NAME.matcher(name).matches()) {
        throw f.error(ep + ".name", "'" + name + "' is not a valid variable name");
      }
      if (!em.containsKey("valueFrom")) {
        env.add(new EnvVar.Value(name, f.string(em.getOrDefault("value", ""), ep + ".value")));
        continue;
      }
      if (em.containsKey("value") && !f.string(em.get("value"), ep + ".value").isEmpty()) {
        throw f.error(ep + ".valueFrom", "may not be specified when `value` is not empty");
      }
      env.add(valueFrom(name, f.map(em.get("valueFrom"), ep + ".valueFrom"), ep + ".valueFrom", container));
    }
    return env;
  }

  private EnvVar valueFrom(String name, Map<String, Object> vf, String at, String container) {
    if (vf.size() != 1) {
      throw f.error(at, "must have exactly one of fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef");
    }
    String source = vf.keySet().iterator().next();
    String sp = at + "." + source;
    return switch (source) {
      case "fieldRef" -> new EnvVar.FieldRef(name, fieldPath(f.map(vf.get(source), sp), sp, ENV_FIELDS));
      case "resourceFieldRef" -> resource(name, f.map(vf.get(source), sp), sp, container);
      case "configMapKeyRef", "secretKeyRef" -> {
        Map<String, Object> ref = f.map(vf.get(source), sp);
        String object = objectName(ref.get("name"), sp + ".name");
        String key = f.string(ref.get("key"), sp + ".key");
        configKey(key, sp + ".key");
        yield new EnvVar.KeyRef(name, source.startsWith("config") ? ObjectKind.CONFIG_MAP : ObjectKind.SECRET,
            object, key, f.bool(ref.get("optional"), sp + ".optional"));
      }
      default -> throw f.error(sp, "is not a source of a variable; use fieldRef, resourceFieldRef, configMapKeyRef"
          + " or secretKeyRef");
    };
  }

  List<EnvVar.From> envFrom(Object o, String at) {
    List<EnvVar.From> out = new ArrayList<>();
    int i = 0;
    for (Object e : f.list(o, at + ".envFrom")) {
      String ep = at + ".envFrom[" + i++ + "]";
      Map<String, Object> em = f.map(e, ep);
      boolean cm = em.containsKey("configMapRef");
      if (cm == em.containsKey("secretRef")) {
        throw f.error(ep, "must have exactly one of configMapRef or secretRef");
      }
      String field = ep + (cm ? ".configMapRef" : ".secretRef");
      Map<String, Object> ref = f.map(em.get(cm ? "configMapRef" : "secretRef"), field);
      String prefix = f.string(em.get("prefix"), ep + ".prefix");
      if (!prefix.isEmpty() && !ENV_NAME.matcher(prefix).matches()) {
        throw f.error(ep + ".prefix", "'" + prefix + "' is not a valid start of a variable name");
      }
      out.add(new EnvVar.From(cm ? ObjectKind.CONFIG_MAP : ObjectKind.SECRET, objectName(ref.get("name"),
          field + ".name"), prefix, f.bool(ref.get("optional"), field + ".optional")));
    }
    return out;
  }

  private String fieldPath(Map<String, Object> ref, String at, Set<String> allowed) {
    String api = f.string(ref.getOrDefault("apiVersion", "v1"), at + ".apiVersion");
    if (!api.equals("v1")) {
      throw f.error(at + ".apiVersion", "'" + api + "' must be v1");
    }
    String path = f.string(ref.get("fieldPath"), at + ".fieldPath");
    if (!allowed.contains(path) && !LABEL_FIELD.matcher(path).matches()) {
      throw f.error(at + ".fieldPath", "'" + path + "' is not supported; use one of " + new java.util.TreeSet<>(
          allowed) + " or metadata.labels['KEY'] / metadata.annotations['KEY']");
    }
    return path;
  }

  /// A downward API volume file's `fieldRef` path: also every label or every annotation at once.
  String volumeFieldPath(Map<String, Object> ref, String at) {
    return fieldPath(ref, at, VOLUME_FIELDS);
  }

  EnvVar.ResourceFieldRef resource(String name, Map<String, Object> ref, String at, String container) {
    String resource = f.string(ref.get("resource"), at + ".resource");
    if (!RESOURCES.contains(resource)) {
      throw f.error(at + ".resource", "'" + resource + "' must be one of " + new java.util.TreeSet<>(RESOURCES));
    }
    String where = f.where() + ": " + at + ".divisor";
    BigDecimal divisor = ref.containsKey("divisor") ? Quantities.parse(f.string(ref.get("divisor"), at + ".divisor"),
        where) : BigDecimal.ONE;
    if (divisor.signum() <= 0) {
      throw f.error(at + ".divisor", "must be greater than zero");
    }
    String containerName = f.string(ref.getOrDefault("containerName", container), at + ".containerName");
    return new EnvVar.ResourceFieldRef(name, containerName, resource, divisor);
  }

  private String objectName(Object o, String field) {
    String name = f.string(o, field);
    if (!Fields.DNS_SUBDOMAIN.matcher(name).matches()) {
      throw f.error(field, "'" + name + "' is not a valid object name");
    }
    return name;
  }

  void configKey(String key, String field) {
    if (key.length() > 253 || !CONFIG_KEY.matcher(key).matches() || key.equals(".") || key.startsWith("..")) {
      throw f.error(field, "'" + key + "' is not a valid key: use letters, digits, '-', '_' and '.', not starting"
          + " with '..'");
    }
  }
}
