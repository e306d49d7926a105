package io.peapod.kubelet.podspec;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.manifest.DataObject;
import io.peapod.kubelet.manifest.EnvVar;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// A container's environment as kubelet's `makeEnvironmentVariables` makes it when the container
/// starts: `envFrom` sources in order, then `env` (a later name replaces an earlier one); literal values
/// `$(VAR)`-expanded with what came before them, `valueFrom` looked up (pod fields, resources, ConfigMap
/// and Secret keys); then `command` and `args` expanded with the result. A missing object or key that is
/// not `optional` is an [InvalidArgumentException] (the container's CreateContainerConfigError).
public final class Environment {
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern LABEL_FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['([^']+)']");

  /// What the kubelet knows of a running pod that its manifest does not say.
  public record PodFields(String uid, String nodeName, String podIp, String hostIp) {}

  /// The resolved environment, the expanded command and args, and warnings (skipped `envFrom` keys).
  public record Resolved(List<Map.Entry<String, String>> env, List<String> command, List<String> args,
      List<String> warnings) {
    public Resolved {
      env = List.copyOf(env);
      command = List.copyOf(command);
      args = List.copyOf(args);
      warnings = List.copyOf(warnings);
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      env.forEach(e -> m.put(e.getKey(), e.getValue()));
      return m;
    }
  }

  private final DataStore data;
  private final long nodeCpuMilli;
  private final long nodeMemoryBytes;

  public Environment(DataStore data, long nodeCpuMilli, long nodeMemoryBytes) {
    this.data = data;
    this.nodeCpuMilli = nodeCpuMilli;
    this.nodeMemoryBytes = nodeMemoryBytes;
  }

  public Resolved resolve(PodManifest pod, ContainerSpec c, PodFields fields) {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (EnvVar.From from : c.envFrom()) {
      Optional<DataObject> obj = data.find(from.kind(), pod.namespace(), from.object());
      if (obj.isEmpty()) {
        if (from.optional()) {
          continue;
        }
        throw new InvalidArgumentException(from.kind().resource() + " \"" + from.object() + "\" not found");
      }
      List<String> skipped = new ArrayList<>();
      new TreeMap<>(obj.get().data()).forEach((k, v) -> {
        String name = from.prefix() + k;
        if (ENV_NAME.matcher(name).matches()) {
          env.put(name, new String(v, StandardCharsets.UTF_8));
        } else {
          skipped.add(name);
        }
      });
      if (!skipped.isEmpty()) {
        warnings.add("Keys [" + String.join(", ", skipped) + "] from the EnvFrom " + from.kind().resource() + " "
            + pod.namespace() + "/" + from.object() + " were skipped since they are considered invalid environment"
            + " variable names.");
      }
    }
    for (EnvVar v : c.env()) {
      Optional<String> value = switch (v) {
        case EnvVar.Value lit -> Optional.of(expand(lit.value(), env));
        case EnvVar.FieldRef f -> Optional.of(field(pod, fields, f.fieldPath()));
        case EnvVar.ResourceFieldRef r -> Optional.of(resource(pod, r));
        case EnvVar.KeyRef k -> key(pod, k);
      };
      value.ifPresent(x -> env.put(v.name(), x));
    }
    List<Map.Entry<String, String>> list = new ArrayList<>();
    env.forEach((k, x) -> list.add(new AbstractMap.SimpleImmutableEntry<>(k, x)));
    return new Resolved(list, c.command().stream().map(s -> expand(s, env)).toList(),
        c.args().stream().map(s -> expand(s, env)).toList(), warnings);
  }

  private Optional<String> key(PodManifest pod, EnvVar.KeyRef k) {
    Optional<DataObject> obj = data.find(k.kind(), pod.namespace(), k.object());
    if (obj.isEmpty()) {
      if (k.optional()) {
        return Optional.empty();
      }
      throw new InvalidArgumentException(k.kind().resource() + " \"" + k.object() + "\" not found");
    }
    byte[] v = obj.get().data().get(k.key());
    if (v == null) {
      if (k.optional()) {
        return Optional.empty();
      }
      throw new InvalidArgumentException("couldn't find key " + k.key() + " in " + k.kind().kind() + " "
          + pod.namespace() + "/" + k.object());
    }
    return Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  /// A downward API field of the pod (also what `downwardAPI` volume files hold).
  public static String field(PodManifest pod, PodFields fields, String path) {
    Matcher m = LABEL_FIELD.matcher(path);
    if (m.matches()) {
      Map<String, String> map = m.group(1).equals("labels") ? pod.labels() : pod.annotations();
      return map.getOrDefault(m.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> pod.name();
      case "metadata.namespace" -> pod.namespace();
      case "metadata.uid" -> fields.uid();
      case "metadata.labels" -> formatMap(pod.labels());
      case "metadata.annotations" -> formatMap(pod.annotations());
      case "spec.nodeName" -> fields.nodeName();
      case "spec.serviceAccountName" -> "default";
      case "status.podIP", "status.podIPs" -> fields.podIp();
      case "status.hostIP", "status.hostIPs" -> fields.hostIp();
      default -> throw new InvalidArgumentException("unsupported fieldPath " + path);
    };
  }

  /// kubelet's format of all labels or annotations in one file: `key="value"` lines, sorted by key.
  private static String formatMap(Map<String, String> m) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(m).forEach((k, v) -> sb.append(k).append("=\"").append(v.replace("\\", "\\\\")
        .replace("\"", "\\\"").replace("\n", "\\n")).append("\"\n"));
    return sb.toString().stripTrailing();
  }

  /// A container's request or limit divided by the divisor, rounded up; an unset limit is the node's
  /// capacity, as kubelet reports it.
  public String resource(PodManifest pod, EnvVar.ResourceFieldRef r) {
    ContainerSpec c = pod.container(r.containerName()).orElseThrow(() -> new InvalidArgumentException("resourceFieldRef names container '" + r.containerName()
            + "', which is not in the pod"));
    BigDecimal value = switch (r.resource()) {
      case "limits.cpu" -> milli(c.cpuLimitMilli() > 0 ? c.cpuLimitMilli() : nodeCpuMilli);
      case "requests.cpu" -> milli(c.cpuRequestMilli());
      case "limits.memory" -> BigDecimal.valueOf(c.memoryLimitBytes() > 0 ? c.memoryLimitBytes() : nodeMemoryBytes);
      case "requests.memory" -> BigDecimal.valueOf(c.memoryRequestBytes());
      default -> throw new InvalidArgumentException("resourceFieldRef " + r.resource() + " is not tracked by peapod;"
          + " use cpu or memory");
    };
    return value.divide(r.divisor(), 0, RoundingMode.CEILING).toPlainString();
  }

  private static BigDecimal milli(long m) {
    return BigDecimal.valueOf(m).movePointLeft(3);
  }

  /// Kubernetes' `$(VAR)` expansion: a reference to a variable not in `vars` stays as written, `$$` is
  /// a literal `$`.
  public static String expand(String in, Map<String, String> vars) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < in.length(); i++) {
      char ch = in.charAt(i);
      if (ch != '$' || i + 1 >= in.length()) {
        out.append(ch);
      } else if (in.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (in.charAt(i + 1) == '(' && in.indexOf(')', i + 2) > 0) {
        int close = in.indexOf(')', i + 2);
        String name = in.substring(i + 2, close);
        out.append(vars.getOrDefault(name, in.substring(i, close + 1)));
        i = close;
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
