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

  private static final Map<String, Object> KEY_REF = Map.of("name", LEAF, "key", LEAF, "optional", LEAF);
  private static final Map<String, Object> FIELD_REF = Map.of("apiVersion", LEAF, "fieldPath", LEAF);
  private static final Map<String, Object> RESOURCE_REF = Map.of("containerName", LEAF, "resource", LEAF,
      "divisor", LEAF);
  private static final Map<String, Object> SECCOMP = Map.of("type", LEAF, "localhostProfile", LEAF);
  /// Security fields that exist for other kernels' modules or operating systems; peapod warns about them.
  private static final List<String> FOREIGN_SECURITY = List.of("seLinuxOptions", "appArmorProfile",
      "windowsOptions");

  private static final Map<String, Object> ITEMS = Map.of("key", LEAF, "path", LEAF, "mode", LEAF);
  private static final Map<String, Object> DOWNWARD_API = Map.of("defaultMode", LEAF, "items",
      List.of(Map.of("path", LEAF, "fieldRef", FIELD_REF, "resourceFieldRef", RESOURCE_REF, "mode", LEAF)));
  private static final Map<String, Object> CONFIG_MAP_VOLUME = Map.of("name", LEAF, "items", List.of(ITEMS),
      "defaultMode", LEAF, "optional", LEAF);
  private static final Map<String, Object> VOLUME = Map.of("name", LEAF,
      "hostPath", Map.of("path", LEAF, "type", LEAF),
      "emptyDir", Map.of("medium", LEAF, "sizeLimit", LEAF),
      "configMap", CONFIG_MAP_VOLUME,
      "secret", Map.of("secretName", LEAF, "items", List.of(ITEMS), "defaultMode", LEAF, "optional", LEAF),
      "downwardAPI", DOWNWARD_API,
      "projected", Map.of("defaultMode", LEAF, "sources", List.of(Map.of("configMap", CONFIG_MAP_VOLUME,
          "secret", CONFIG_MAP_VOLUME, "downwardAPI", DOWNWARD_API, "serviceAccountToken", LEAF,
          "clusterTrustBundle", LEAF))));

  private static final Map<String, Object> CONTAINER = Map.ofEntries(
      Map.entry("name", LEAF), Map.entry("image", LEAF), Map.entry("imagePullPolicy", LEAF),
      Map.entry("command", LEAF), Map.entry("args", LEAF), Map.entry("workingDir", LEAF),
      Map.entry("env", List.of(Map.of("name", LEAF, "value", LEAF, "valueFrom", Map.of("fieldRef", FIELD_REF,
          "resourceFieldRef", RESOURCE_REF, "configMapKeyRef", KEY_REF, "secretKeyRef", KEY_REF)))),
      Map.entry("ports", List.of(Map.of("name", LEAF, "containerPort", LEAF, "hostPort", LEAF, "protocol", LEAF,
          "hostIP", LEAF))),
      // Only cpu and memory are acted on; any other resource name is warned about.
      Map.entry("resources", Map.of("limits", RESOURCES, "requests", RESOURCES)),
      Map.entry("securityContext", Map.ofEntries(Map.entry("privileged", LEAF), Map.entry("runAsUser", LEAF),
          Map.entry("runAsGroup", LEAF), Map.entry("runAsNonRoot", LEAF), Map.entry("readOnlyRootFilesystem", LEAF),
          Map.entry("allowPrivilegeEscalation", LEAF), Map.entry("capabilities", Map.of("add", LEAF, "drop", LEAF)),
          Map.entry("seccompProfile", SECCOMP), Map.entry("procMount", LEAF), Map.entry("seLinuxOptions", LEAF),
          Map.entry("appArmorProfile", LEAF), Map.entry("windowsOptions", LEAF))),
      Map.entry("volumeMounts", List.of(Map.of("name", LEAF, "mountPath", LEAF, "readOnly", LEAF, "subPath", LEAF,
          "subPathExpr", LEAF, "mountPropagation", LEAF))),
      Map.entry("stdin", LEAF), Map.entry("tty", LEAF), Map.entry("stdinOnce", LEAF),
      Map.entry("livenessProbe", PROBE), Map.entry("readinessProbe", PROBE), Map.entry("startupProbe", PROBE),
      Map.entry("lifecycle", Map.of("postStart", HANDLER_ACTIONS, "preStop", HANDLER_ACTIONS)),
      Map.entry("restartPolicy", LEAF), Map.entry("terminationMessagePath", LEAF),
      Map.entry("terminationMessagePolicy", LEAF), Map.entry("envFrom", List.of(Map.of("prefix", LEAF,
          "configMapRef", Map.of("name", LEAF, "optional", LEAF), "secretRef", Map.of("name", LEAF, "optional", LEAF)))));

  static final Map<String, Object> METADATA = Map.of("name", LEAF, "namespace", LEAF, "labels", LEAF,
      "annotations", LEAF, "uid", LEAF, "creationTimestamp", LEAF, "generateName", LEAF, "ownerReferences",
      List.of(Map.of("apiVersion", LEAF, "kind", LEAF, "name", LEAF, "uid", LEAF, "controller", LEAF,
          "blockOwnerDeletion", LEAF)));

  static final Map<String, Object> EPHEMERAL_CONTAINER = with(CONTAINER, Map.of("targetContainerName", LEAF));

  static final Map<String, Object> POD_SPEC = Map.ofEntries(
      Map.entry("containers", List.of(CONTAINER)), Map.entry("initContainers", List.of(CONTAINER)),
      Map.entry("ephemeralContainers", List.of(EPHEMERAL_CONTAINER)),
      Map.entry("shareProcessNamespace", LEAF), Map.entry("hostNetwork", LEAF), Map.entry("hostPID", LEAF),
      Map.entry("hostIPC", LEAF), Map.entry("restartPolicy", LEAF), Map.entry("terminationGracePeriodSeconds", LEAF),
      Map.entry("volumes", List.of(VOLUME)),
      Map.entry("hostname", LEAF), Map.entry("subdomain", LEAF), Map.entry("dnsPolicy", LEAF),
      Map.entry("dnsConfig", Map.of("nameservers", LEAF, "searches", LEAF,
          "options", List.of(Map.of("name", LEAF, "value", LEAF)))),
      Map.entry("hostAliases", List.of(Map.of("ip", LEAF, "hostnames", LEAF))), Map.entry("nodeSelector", LEAF),
      Map.entry("nodeName", LEAF), Map.entry("serviceAccountName", LEAF), Map.entry("serviceAccount", LEAF),
      Map.entry("automountServiceAccountToken", LEAF),
      Map.entry("securityContext", Map.ofEntries(Map.entry("runAsUser", LEAF), Map.entry("runAsGroup", LEAF),
          Map.entry("runAsNonRoot", LEAF), Map.entry("supplementalGroups", LEAF), Map.entry("fsGroup", LEAF),
          Map.entry("fsGroupChangePolicy", LEAF), Map.entry("seccompProfile", SECCOMP),
          Map.entry("sysctls", List.of(Map.of("name", LEAF, "value", LEAF))), Map.entry("seLinuxOptions", LEAF),
          Map.entry("appArmorProfile", LEAF), Map.entry("windowsOptions", LEAF),
          Map.entry("supplementalGroupsPolicy", LEAF), Map.entry("seLinuxChangePolicy", LEAF))),
      Map.entry("imagePullSecrets", List.of(Map.of("name", LEAF))), Map.entry("tolerations", LEAF),
      Map.entry("affinity", LEAF), Map.entry("priorityClassName", LEAF), Map.entry("schedulerName", LEAF),
      Map.entry("enableServiceLinks", LEAF), Map.entry("activeDeadlineSeconds", LEAF), Map.entry("hostUsers", LEAF));

  static final Map<String, Object> POD = Map.of("apiVersion", LEAF, "kind", LEAF, "metadata", METADATA,
      "spec", POD_SPEC, "status", LEAF);

  /// A v1 ConfigMap: `data` (text) and `binaryData` (base64) are free-form maps.
  static final Map<String, Object> CONFIG_MAP = Map.of("apiVersion", LEAF, "kind", LEAF, "metadata", METADATA,
      "data", LEAF, "binaryData", LEAF, "immutable", LEAF);

  /// A v1 Secret: `data` (base64 values) and `stringData` (plain) are free-form maps.
  static final Map<String, Object> SECRET = Map.of("apiVersion", LEAF, "kind", LEAF, "metadata", METADATA, "type", LEAF,
      "data", LEAF, "stringData", LEAF, "immutable", LEAF);

  /// Fields peapod accepts but does not act on (a single node has no scheduler, no service accounts, no
  /// cluster DNS); each is warned about by name. The README's list is this one.
  static final Set<String> IGNORED = ignored();

  private static Set<String> ignored() {
    Set<String> s = new HashSet<>(Set.of("spec.nodeSelector", "spec.nodeName", "spec.tolerations",
        "spec.affinity", "spec.serviceAccountName", "spec.serviceAccount", "spec.automountServiceAccountToken",
        "spec.priorityClassName", "spec.schedulerName", "spec.enableServiceLinks", "spec.subdomain",
        "spec.securityContext.supplementalGroupsPolicy", "spec.securityContext.seLinuxChangePolicy",
        // A ConfigMap's or Secret's: peapod lets every object change.
        "immutable"));
    FOREIGN_SECURITY.forEach(f -> s.add("spec.securityContext." + f));
    for (String list : List.of("spec.containers[]", "spec.initContainers[]", "spec.ephemeralContainers[]")) {
      FOREIGN_SECURITY.forEach(f -> s.add(list + ".securityContext." + f));
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
