package io.peapod.kubelet.manifest;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// The fields peapod reads, as a tree: a `Map` value is an object's fields, a one-element `List` a list
/// of such objects, `LEAF` a scalar or a free-form map. Fields Kubernetes has that peapod does not act
/// on are in [#IGNORED]: the user is warned, and the README lists them. Anything else is unknown, and
/// warned about as `kubectl apply` does.
final class FieldSchema {
  static final Object LEAF = "leaf";

  private static final Map<String, Object> HANDLER_ACTIONS = Map.of(
      "exec", Map.of("command", LEAF),
      "httpGet", Map.of("host", LEAF, "port", LEAF, "path", LEAF, "scheme", LEAF,
          "httpHeaders", List.of(Map.of("name", LEAF, "value", LEAF))),
      "tcpSocket", Map.of("host", LEAF, "port", LEAF),
      "grpc", Map.of("port", LEAF, "service", LEAF),
      "sleep", Map.of("seconds", LEAF));

  private static final Map<String, Object> PROBE = with(HANDLER_ACTIONS, Map.of("initialDelaySeconds", LEAF,
      "periodSeconds", LEAF, "timeoutSeconds", LEAF, "successThreshold", LEAF, "failureThreshold", LEAF,
      "terminationGracePeriodSeconds", LEAF));

  private static final Map<String, Object> RESOURCES = Map.of("cpu", LEAF, "memory", LEAF);

  private static final Map<String, Object> CONTAINER = Map.ofEntries(
      Map.entry("name", LEAF), Map.entry("image", LEAF), Map.entry("imagePullPolicy", LEAF),
      Map.entry("command", LEAF), Map.entry("args", LEAF), Map.entry("workingDir", LEAF),
      Map.entry("env", List.of(Map.of("name", LEAF, "value", LEAF, "valueFrom", LEAF))),
      Map.entry("ports", List.of(Map.of("name", LEAF, "containerPort", LEAF, "hostPort", LEAF, "protocol", LEAF,
          "hostIP", LEAF))),
      // Only cpu and memory are acted on; any other resource name is warned about.
      Map.entry("resources", Map.of("limits", RESOURCES, "requests", RESOURCES)),
      Map.entry("securityContext", Map.of("privileged", LEAF, "runAsUser", LEAF, "runAsGroup", LEAF,
          "runAsNonRoot", LEAF, "readOnlyRootFilesystem", LEAF, "allowPrivilegeEscalation", LEAF,
          "capabilities", Map.of("add", LEAF, "drop", LEAF), "seccompProfile", LEAF)),
      Map.entry("volumeMounts", List.of(Map.of("name", LEAF, "mountPath", LEAF, "readOnly", LEAF, "subPath", LEAF,
          "subPathExpr", LEAF))),
      Map.entry("stdin", LEAF), Map.entry("tty", LEAF), Map.entry("stdinOnce", LEAF),
      Map.entry("livenessProbe", PROBE), Map.entry("readinessProbe", PROBE), Map.entry("startupProbe", PROBE),
      Map.entry("lifecycle", Map.of("postStart", HANDLER_ACTIONS, "preStop", HANDLER_ACTIONS)),
      Map.entry("restartPolicy", LEAF), Map.entry("terminationMessagePath", LEAF),
      Map.entry("terminationMessagePolicy", LEAF), Map.entry("envFrom", LEAF));

  static final Map<String, Object> METADATA = Map.of("name", LEAF, "namespace", LEAF, "labels", LEAF,
      "annotations", LEAF, "uid", LEAF, "creationTimestamp", LEAF, "generateName", LEAF, "ownerReferences",
      List.of(Map.of("apiVersion", LEAF, "kind", LEAF, "name", LEAF, "uid", LEAF, "controller", LEAF,
          "blockOwnerDeletion", LEAF)));

  static final Map<String, Object> POD_SPEC = Map.ofEntries(
      Map.entry("containers", List.of(CONTAINER)), Map.entry("initContainers", List.of(CONTAINER)),
      Map.entry("shareProcessNamespace", LEAF), Map.entry("hostNetwork", LEAF), Map.entry("hostPID", LEAF),
      Map.entry("hostIPC", LEAF), Map.entry("restartPolicy", LEAF), Map.entry("terminationGracePeriodSeconds", LEAF),
      Map.entry("volumes", List.of(Map.of("name", LEAF, "hostPath", Map.of("path", LEAF, "type", LEAF),
          "emptyDir", Map.of("medium", LEAF, "sizeLimit", LEAF)))),
      Map.entry("hostname", LEAF), Map.entry("subdomain", LEAF), Map.entry("dnsPolicy", LEAF),
      Map.entry("dnsConfig", Map.of("nameservers", LEAF, "searches", LEAF,
          "options", List.of(Map.of("name", LEAF, "value", LEAF)))),
      Map.entry("hostAliases", List.of(Map.of("ip", LEAF, "hostnames", LEAF))), Map.entry("nodeSelector", LEAF),
      Map.entry("nodeName", LEAF), Map.entry("serviceAccountName", LEAF), Map.entry("serviceAccount", LEAF),
      Map.entry("automountServiceAccountToken", LEAF), Map.entry("securityContext", LEAF),
      Map.entry("imagePullSecrets", List.of(Map.of("name", LEAF))), Map.entry("tolerations", LEAF),
      Map.entry("affinity", LEAF), Map.entry("priorityClassName", LEAF), Map.entry("schedulerName", LEAF),
      Map.entry("enableServiceLinks", LEAF), Map.entry("activeDeadlineSeconds", LEAF), Map.entry("hostUsers", LEAF));

  static final Map<String, Object> POD = Map.of("apiVersion", LEAF, "kind", LEAF, "metadata", METADATA,
      "spec", POD_SPEC, "status", LEAF);

  /// A v1 Secret: `data` (base64 values) and `stringData` (plain) are free-form maps.
  static final Map<String, Object> SECRET = Map.of("apiVersion", LEAF, "kind", LEAF, "metadata", METADATA, "type", LEAF,
      "data", LEAF, "stringData", LEAF, "immutable", LEAF);

  /// Fields peapod accepts but does not act on (a single node has no scheduler, no service accounts, no
  /// cluster DNS); each is warned about by name. The README's list is this one.
  static final Set<String> IGNORED = ignored();

  private static Set<String> ignored() {
    Set<String> s = new HashSet<>(Set.of("spec.nodeSelector", "spec.nodeName", "spec.tolerations",
        "spec.affinity", "spec.serviceAccountName", "spec.serviceAccount", "spec.automountServiceAccountToken",
        "spec.priorityClassName", "spec.schedulerName", "spec.enableServiceLinks", "spec.securityContext",
        "spec.hostUsers", "spec.subdomain", "spec.volumes[].emptyDir.medium", "spec.volumes[].emptyDir.sizeLimit"));
    for (String list : List.of("spec.containers[]", "spec.initContainers[]")) {
      for (String field : List.of("stdin", "tty", "stdinOnce", "securityContext.runAsNonRoot",
          "securityContext.allowPrivilegeEscalation", "securityContext.seccompProfile", "envFrom")) {
        s.add(list + "." + field);
      }
    }
    return Set.copyOf(s);
  }

  private FieldSchema() {}

  private static Map<String, Object> with(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> m = new java.util.HashMap<>(a);
    m.putAll(b);
    return Map.copyOf(m);
  }

  /// Warns of fields not in `schema` and of fields peapod ignores, each by its path.
  static void check(Map<String, Object> obj, Map<String, Object> schema, String prefix, String where,
      List<String> warnings) {
    for (Map.Entry<String, Object> e : obj.entrySet()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      String generic = path.replaceAll("\\[\\d+]", "[]");
      Object sub = schema.get(e.getKey());
      if (sub == null) {
        warnings.add("Warning: " + where + ": unknown field \"" + path + "\"");
      } else if (IGNORED.contains(generic)) {
        warnings.add("Warning: " + where + ": field \"" + path + "\" is accepted but not acted on by peapod yet");
      } else if (sub instanceof Map<?, ?> m && e.getValue() instanceof Map<?, ?> v) {
        check(Fields.cast(v), Fields.cast(m), path, where, warnings);
      } else if (sub instanceof List<?> l && e.getValue() instanceof List<?> items) {
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i) instanceof Map<?, ?> item) {
            check(Fields.cast(item), Fields.cast((Map<?, ?>) l.getFirst()), path + "[" + i + "]", where, warnings);
          }
        }
      }
    }
  }
}
