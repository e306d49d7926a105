package io.peapod.kubelet.manifest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/// The fields peapod reads, as a tree: a `Map` value is an object's fields, a one-element `List` a list
/// of such objects, `LEAF` a scalar or a free-form map. Fields Kubernetes has but a single node cannot
/// honour are listed in `IGNORED`; anything else is unknown.
final class FieldSchema {
  static final Object LEAF = "leaf";

  private static final Map<String, Object> CONTAINER = Map.ofEntries(
      Map.entry("name", LEAF), Map.entry("image", LEAF), Map.entry("imagePullPolicy", LEAF),
      Map.entry("command", LEAF), Map.entry("args", LEAF), Map.entry("workingDir", LEAF),
      Map.entry("env", List.of(Map.of("name", LEAF, "value", LEAF, "valueFrom", LEAF))),
      Map.entry("ports", List.of(Map.of("name", LEAF, "containerPort", LEAF, "hostPort", LEAF, "protocol", LEAF,
          "hostIP", LEAF))),
      Map.entry("resources", Map.of("limits", LEAF, "requests", LEAF)),
      Map.entry("securityContext", Map.of("privileged", LEAF, "runAsUser", LEAF, "runAsGroup", LEAF,
          "runAsNonRoot", LEAF, "readOnlyRootFilesystem", LEAF, "allowPrivilegeEscalation", LEAF,
          "capabilities", Map.of("add", LEAF, "drop", LEAF), "seccompProfile", LEAF)),
      Map.entry("volumeMounts", List.of(Map.of("name", LEAF, "mountPath", LEAF, "readOnly", LEAF, "subPath", LEAF))),
      Map.entry("stdin", LEAF), Map.entry("tty", LEAF), Map.entry("livenessProbe", LEAF),
      Map.entry("readinessProbe", LEAF), Map.entry("startupProbe", LEAF), Map.entry("lifecycle", LEAF),
      Map.entry("terminationMessagePath", LEAF), Map.entry("terminationMessagePolicy", LEAF),
      Map.entry("envFrom", LEAF), Map.entry("stdinOnce", LEAF));

  static final Map<String, Object> METADATA = Map.of("name", LEAF, "namespace", LEAF, "labels", LEAF,
      "annotations", LEAF, "uid", LEAF, "creationTimestamp", LEAF, "generateName", LEAF);

  static final Map<String, Object> POD_SPEC = Map.ofEntries(
      Map.entry("containers", List.of(CONTAINER)), Map.entry("initContainers", List.of(CONTAINER)),
      Map.entry("shareProcessNamespace", LEAF), Map.entry("hostNetwork", LEAF), Map.entry("hostPID", LEAF),
      Map.entry("hostIPC", LEAF), Map.entry("restartPolicy", LEAF), Map.entry("terminationGracePeriodSeconds", LEAF),
      Map.entry("volumes", List.of(Map.of("name", LEAF, "hostPath", Map.of("path", LEAF, "type", LEAF),
          "emptyDir", LEAF))),
      Map.entry("hostname", LEAF), Map.entry("subdomain", LEAF), Map.entry("dnsPolicy", LEAF),
      Map.entry("dnsConfig", Map.of("nameservers", LEAF, "searches", LEAF,
          "options", List.of(Map.of("name", LEAF, "value", LEAF)))),
      Map.entry("hostAliases", List.of(Map.of("ip", LEAF, "hostnames", LEAF))), Map.entry("nodeSelector", LEAF),
      Map.entry("nodeName", LEAF), Map.entry("serviceAccountName", LEAF), Map.entry("serviceAccount", LEAF),
      Map.entry("automountServiceAccountToken", LEAF), Map.entry("securityContext", LEAF),
      Map.entry("imagePullSecrets", List.of(Map.of("name", LEAF))), Map.entry("tolerations", LEAF), Map.entry("affinity", LEAF),
      Map.entry("priorityClassName", LEAF), Map.entry("schedulerName", LEAF), Map.entry("enableServiceLinks", LEAF),
      Map.entry("activeDeadlineSeconds", LEAF), Map.entry("hostUsers", LEAF));

  /// Fields a one-node runtime accepts but does not act on; the user is told so.
  static final Set<String> IGNORED = Set.of("spec.nodeSelector", "spec.nodeName", "spec.tolerations",
      "spec.affinity", "spec.serviceAccountName", "spec.serviceAccount", "spec.automountServiceAccountToken",
      "spec.priorityClassName", "spec.schedulerName", "spec.enableServiceLinks",
      "spec.securityContext", "spec.activeDeadlineSeconds", "spec.hostUsers", "spec.subdomain",
      "spec.containers[].livenessProbe", "spec.containers[].readinessProbe",
      "spec.containers[].startupProbe", "spec.containers[].lifecycle",
      "spec.containers[].stdin", "spec.containers[].tty", "spec.containers[].stdinOnce",
      "spec.containers[].terminationMessagePath", "spec.containers[].terminationMessagePolicy",
      "spec.containers[].securityContext.runAsNonRoot", "spec.containers[].securityContext.allowPrivilegeEscalation",
      "spec.containers[].securityContext.seccompProfile", "spec.containers[].envFrom");

  /// A v1 Secret: `data` (base64 values) and `stringData` (plain) are free-form maps.
  static final Map<String, Object> SECRET = Map.of("apiVersion", LEAF, "kind", LEAF, "metadata", METADATA, "type", LEAF,
      "data", LEAF, "stringData", LEAF, "immutable", LEAF);

  private FieldSchema() {}
}
