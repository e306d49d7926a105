package io.peapod.controllers.object;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.labels.LabelSelector;
import io.peapod.controllers.object.WorkloadSpec.DaemonSetSpec;
import io.peapod.controllers.object.WorkloadSpec.DeploymentSpec;
import io.peapod.controllers.object.WorkloadSpec.IntOrPercent;
import io.peapod.controllers.object.WorkloadSpec.JobSpec;
import io.peapod.controllers.object.WorkloadSpec.PodTemplate;
import io.peapod.controllers.object.WorkloadSpec.ReplicaSetSpec;
import io.peapod.controllers.object.WorkloadSpec.StatefulSetSpec;
import io.peapod.kubelet.manifest.Fields;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.OwnerReference;
import io.peapod.kubelet.manifest.PodManifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// Reads a workload object (Job, ReplicaSet, Deployment, DaemonSet, StatefulSet) into its validated
/// parts, with the API server's checks: the template validates as a pod, its restart policy suits the
/// kind, the selector matches the template's labels. Fields of the kind that peapod does not act on
/// are warned about by name (the README lists them), unknown ones as kubectl warns.
public final class WorkloadParser {
  /// The most an ordinal or the random suffix may add to a pod name within a 63-character DNS label.
  private static final int GENERATED_SUFFIX = 6;
  private static final Map<Kind, Set<String>> FIELDS = Map.of(
      Kind.JOB, Set.of("template", "completions", "parallelism", "backoffLimit", "activeDeadlineSeconds",
          "ttlSecondsAfterFinished", "completionMode", "suspend"),
      Kind.REPLICA_SET, Set.of("replicas", "selector", "template", "minReadySeconds"),
      Kind.DEPLOYMENT, Set.of("replicas", "selector", "template", "strategy", "minReadySeconds",
          "revisionHistoryLimit", "paused"),
      Kind.DAEMON_SET, Set.of("selector", "template", "updateStrategy", "minReadySeconds"),
      Kind.STATEFUL_SET, Set.of("replicas", "selector", "template", "serviceName", "podManagementPolicy",
          "updateStrategy", "minReadySeconds", "volumeClaimTemplates"));
  /// Fields peapod accepts and does not act on, by kind; each is warned about by name.
  public static final Map<Kind, Set<String>> IGNORED = Map.of(
      Kind.JOB, Set.of("podFailurePolicy", "successPolicy", "backoffLimitPerIndex", "maxFailedIndexes",
          "podReplacementPolicy", "manualSelector", "selector", "managedBy"),
      Kind.REPLICA_SET, Set.of(),
      Kind.DEPLOYMENT, Set.of("progressDeadlineSeconds"),
      Kind.DAEMON_SET, Set.of("revisionHistoryLimit"),
      Kind.STATEFUL_SET, Set.of("revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "ordinals"));

  /// Ten years: longer deadlines and time-to-live values are refused rather than overflowing.
  private static final long MAX_SECONDS = 315_360_000L;
  private final ManifestParser pods = new ManifestParser();

  /// A parsed object before it is stored: everything but identity and status.
  public record Parsed(Kind kind, String namespace, String name, Map<String, String> labels,
      Map<String, String> annotations, List<OwnerReference> ownerReferences, Map<String, Object> object,
      WorkloadSpec spec) {}

  public Parsed parse(Kind kind, Map<String, Object> obj, String source, List<String> warnings) {
    Fields top = new Fields(source);
    Map<String, Object> metadata = top.optionalMap(obj.get("metadata"), "metadata");
    String name = top.string(metadata.get("name"), "metadata.name");
    Fields f = new Fields(source + ": " + kind.kindName() + " \"" + name + "\"");
    String apiVersion = f.string(obj.get("apiVersion"), "apiVersion");
    if (!apiVersion.equals(kind.apiVersion())) {
      throw f.error("apiVersion", "'" + apiVersion + "' is not served for " + kind.kindName() + "; use "
          + kind.apiVersion());
    }
    for (String field : obj.keySet()) {
      if (!Set.of("apiVersion", "kind", "metadata", "spec", "status").contains(field)) {
        warnings.add("Warning: " + f.where() + ": unknown field \"" + field + "\"");
      }
    }
    if (name.isEmpty()) {
      throw f.error("metadata.name", "is required");
    }
    f.dnsLabel(name, "metadata.name");
    // A Deployment's pods are named <name>-<template hash, up to 10>-<5 random>.
    int longest = 63 - GENERATED_SUFFIX - (kind == Kind.DEPLOYMENT ? 11 : 0);
    if (name.length() > longest) {
      throw f.error("metadata.name", "'" + name + "' is longer than " + longest + " characters, and the names of"
          + " its pods would not fit in 63; shorten it");
    }
    String namespace = f.string(metadata.getOrDefault("namespace", "default"), "metadata.namespace");
    f.dnsLabel(namespace, "metadata.namespace");
    Map<String, Object> spec = f.map(obj.get("spec"), "spec");
    checkFields(kind, spec, f, warnings);
    warnUnknown(metadata, METADATA, "metadata", f, warnings);
    warnUnknown(f.optionalMap(spec.get("selector"), "spec.selector"), Set.of("matchLabels", "matchExpressions"),
        "spec.selector", f, warnings);
    warnUnknown(f.optionalMap(spec.get("template"), "spec.template"), Set.of("metadata", "spec"), "spec.template", f,
        warnings);
    for (String strategy : List.of("strategy", "updateStrategy")) {
      Map<String, Object> s = f.optionalMap(spec.get(strategy), "spec." + strategy);
      warnUnknown(s, Set.of("type", "rollingUpdate"), "spec." + strategy, f, warnings);
      if (strategy.equals("strategy")) {
        warnUnknown(f.optionalMap(s.get("rollingUpdate"), "spec.strategy.rollingUpdate"),
            Set.of("maxSurge", "maxUnavailable"), "spec.strategy.rollingUpdate", f, warnings);
      }
    }
    WorkloadSpec parsed = switch (kind) {
      case JOB -> job(spec, f, name, namespace, warnings);
      case REPLICA_SET -> new ReplicaSetSpec(replicas(spec, f), selector(spec, f),
          template(spec, f, kind, name, namespace, warnings), minReady(spec, f));
      case DEPLOYMENT -> deployment(spec, f, name, namespace, warnings);
      case DAEMON_SET -> daemonSet(spec, f, name, namespace, warnings);
      case STATEFUL_SET -> statefulSet(spec, f, name, namespace, warnings);
    };
    if (!(parsed instanceof JobSpec)) {
      requireSelected(parsed, f);
    }
    return new Parsed(kind, namespace, name, f.stringMap(metadata.get("labels"), "metadata.labels"),
        f.stringMap(metadata.get("annotations"), "metadata.annotations"),
        OwnerReference.parseAll(f, metadata.get("ownerReferences"), "metadata.ownerReferences"), obj, parsed);
  }

  /// Metadata fields of a workload: identity, labels and annotations, owners, and what the API server
  /// itself writes (accepted from a `get -o yaml` output, not acted on).
  private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations", "ownerReferences",
      "uid", "creationTimestamp", "generation", "resourceVersion", "managedFields");

  private static void warnUnknown(Map<String, Object> map, Set<String> known, String path, Fields f,
      List<String> warnings) {
    for (String field : map.keySet()) {
      if (!known.contains(field)) {
        warnings.add("Warning: " + f.where() + ": unknown field \"" + path + "." + field + "\"");
      }
    }
  }

  private static void checkFields(Kind kind, Map<String, Object> spec, Fields f, List<String> warnings) {
    for (String field : spec.keySet()) {
      if (IGNORED.get(kind).contains(field)) {
        warnings.add("Warning: " + f.where() + ": field \"spec." + field + "\" is accepted but not acted on by"
            + " peapod yet");
      } else if (!FIELDS.get(kind).contains(field)) {
        warnings.add("Warning: " + f.where() + ": unknown field \"spec." + field + "\"");
      }
    }
  }

  private JobSpec job(Map<String, Object> spec, Fields f, String name, String namespace, List<String> warnings) {
    PodTemplate template = template(spec, f, Kind.JOB, name, namespace, warnings);
    Optional<Integer> completions = spec.get("completions") == null ? Optional.empty()
        : Optional.of((int) f.number(spec.get("completions"), "spec.completions", 1, 0, 100_000));
    int parallelism = (int) f.number(spec.get("parallelism"), "spec.parallelism", 1, 0, 100_000);
    if (completions.isEmpty() && spec.get("parallelism") == null) {
      completions = Optional.of(1);
    }
    boolean indexed = f.oneOf(spec.get("completionMode"), "spec.completionMode", "NonIndexed",
        List.of("NonIndexed", "Indexed")).equals("Indexed");
    if (indexed && completions.isEmpty()) {
      throw f.error("spec.completions", "is required when spec.completionMode is Indexed");
    }
    return new JobSpec(template, completions, parallelism,
        (int) f.number(spec.get("backoffLimit"), "spec.backoffLimit", 6, 0, Integer.MAX_VALUE),
        optionalNumber(spec, "activeDeadlineSeconds", f, 1), optionalNumber(spec, "ttlSecondsAfterFinished", f, 0),
        indexed, f.bool(spec.get("suspend"), "spec.suspend"));
  }

  private DeploymentSpec deployment(Map<String, Object> spec, Fields f, String name, String namespace,
      List<String> warnings) {
    Map<String, Object> strategy = f.optionalMap(spec.get("strategy"), "spec.strategy");
    String type = f.oneOf(strategy.get("type"), "spec.strategy.type", "RollingUpdate", List.of("RollingUpdate",
        "Recreate"));
    Map<String, Object> rolling = f.optionalMap(strategy.get("rollingUpdate"), "spec.strategy.rollingUpdate");
    if (type.equals("Recreate") && !rolling.isEmpty()) {
      throw f.error("spec.strategy.rollingUpdate", "may not be set when spec.strategy.type is Recreate");
    }
    IntOrPercent surge = intOrPercent(rolling.get("maxSurge"), "spec.strategy.rollingUpdate.maxSurge", f);
    IntOrPercent unavailable = intOrPercent(rolling.get("maxUnavailable"),
        "spec.strategy.rollingUpdate.maxUnavailable", f);
    if (type.equals("RollingUpdate") && surge.value() == 0 && unavailable.value() == 0) {
      throw f.error("spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when maxSurge is 0");
    }
    return new DeploymentSpec(replicas(spec, f), selector(spec, f), template(spec, f, Kind.DEPLOYMENT, name,
        namespace, warnings), type.equals("Recreate"), surge, unavailable, minReady(spec, f),
        (int) f.number(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit", 10, 0, 1000),
        f.bool(spec.get("paused"), "spec.paused"));
  }

  private DaemonSetSpec daemonSet(Map<String, Object> spec, Fields f, String name, String namespace,
      List<String> warnings) {
    Map<String, Object> strategy = f.optionalMap(spec.get("updateStrategy"), "spec.updateStrategy");
    String type = f.oneOf(strategy.get("type"), "spec.updateStrategy.type", "RollingUpdate",
        List.of("RollingUpdate", "OnDelete"));
    if (strategy.containsKey("rollingUpdate")) {
      warnings.add("Warning: " + f.where() + ": field \"spec.updateStrategy.rollingUpdate\" is accepted but not"
          + " acted on: on one node the pod is replaced by deleting it first, then creating the new one");
    }
    return new DaemonSetSpec(selector(spec, f), template(spec, f, Kind.DAEMON_SET, name, namespace, warnings),
        type.equals("OnDelete"), minReady(spec, f));
  }

  private StatefulSetSpec statefulSet(Map<String, Object> spec, Fields f, String name, String namespace,
      List<String> warnings) {
    if (!f.list(spec.get("volumeClaimTemplates"), "spec.volumeClaimTemplates").isEmpty()) {
      throw f.error("spec.volumeClaimTemplates", "is not supported: peapod has no persistent volume claims yet;"
          + " use hostPath or emptyDir volumes in spec.template.spec.volumes instead");
    }
    int replicas = replicas(spec, f);
    if (name.length() + 1 + String.valueOf(Math.max(0, replicas - 1)).length() > 63) {
      throw f.error("metadata.name", "'" + name + "' with the ordinal of the last replica is longer than 63"
          + " characters; shorten it");
    }
    Map<String, Object> strategy = f.optionalMap(spec.get("updateStrategy"), "spec.updateStrategy");
    String type = f.oneOf(strategy.get("type"), "spec.updateStrategy.type", "RollingUpdate",
        List.of("RollingUpdate", "OnDelete"));
    Map<String, Object> rolling = f.optionalMap(strategy.get("rollingUpdate"), "spec.updateStrategy.rollingUpdate");
    for (String field : rolling.keySet()) {
      warnings.add("Warning: " + f.where() + ": field \"spec.updateStrategy.rollingUpdate." + field + "\" is"
          + " accepted but not acted on: every pod is replaced, one at a time from the highest ordinal");
    }
    String policy = f.oneOf(spec.get("podManagementPolicy"), "spec.podManagementPolicy", "OrderedReady",
        List.of("OrderedReady", "Parallel"));
    return new StatefulSetSpec(replicas, selector(spec, f), template(spec, f, Kind.STATEFUL_SET, name, namespace,
        warnings), f.string(spec.get("serviceName"), "spec.serviceName"), policy.equals("Parallel"),
        type.equals("OnDelete"), minReady(spec, f));
  }

  /// The template, validated as the pod it makes (with a placeholder for the generated part of the
  /// name), and its restart policy as the kind allows: OnFailure or Never for a Job, Always otherwise.
  private PodTemplate template(Map<String, Object> spec, Fields f, Kind kind, String name, String namespace,
      List<String> warnings) {
    Map<String, Object> template = f.map(spec.get("template"), "spec.template");
    Map<String, Object> podSpec = f.map(template.get("spec"), "spec.template.spec");
    Object policy = podSpec.get("restartPolicy");
    if (kind == Kind.JOB) {
      if (policy == null) {
        throw f.error("spec.template.spec.restartPolicy", "is required for a Job: set OnFailure or Never");
      }
      f.oneOf(policy, "spec.template.spec.restartPolicy", "", List.of("OnFailure", "Never"));
    } else {
      f.oneOf(policy, "spec.template.spec.restartPolicy", "Always", List.of("Always"));
    }
    PodManifest pod = pods.template(template, name + "-xxxxx", namespace, f.where(), kind.kindName() + "/" + name,
        warnings);
    return new PodTemplate(template, pod.labels(), pod);
  }

  private static int replicas(Map<String, Object> spec, Fields f) {
    return (int) f.number(spec.get("replicas"), "spec.replicas", 1, 0, 10_000);
  }

  private static int minReady(Map<String, Object> spec, Fields f) {
    return (int) f.number(spec.get("minReadySeconds"), "spec.minReadySeconds", 0, 0, Integer.MAX_VALUE);
  }

  private static Optional<Long> optionalNumber(Map<String, Object> spec, String field, Fields f, long min) {
    return spec.get(field) == null ? Optional.empty()
        : Optional.of(f.number(spec.get(field), "spec." + field, 0, min, MAX_SECONDS));
  }

  private static IntOrPercent intOrPercent(Object o, String field, Fields f) {
    if (o == null) {
      return new IntOrPercent(25, true);
    }
    if (o instanceof String s && s.matches("\\d{1,3}%")) {
      int v = Integer.parseInt(s.substring(0, s.length() - 1));
      if (v > 100) {
        throw f.error(field, "'" + s + "' must not be more than 100%");
      }
      return new IntOrPercent(v, true);
    }
    return new IntOrPercent((int) f.number(o, field, 0, 0, 10_000), false);
  }

  /// `spec.selector` (`matchLabels` and `matchExpressions`), required and not empty.
  static LabelSelector selector(Map<String, Object> spec, Fields f) {
    Map<String, Object> sel = f.map(spec.get("selector"), "spec.selector");
    LabelSelector s = LabelSelector.of(f.stringMap(sel.get("matchLabels"), "spec.selector.matchLabels"));
    List<LabelSelector.Requirement> exprs = new ArrayList<>();
    List<Object> list = f.list(sel.get("matchExpressions"), "spec.selector.matchExpressions");
    for (int i = 0; i < list.size(); i++) {
      String at = "spec.selector.matchExpressions[" + i + "]";
      Map<String, Object> e = f.map(list.get(i), at);
      String op = f.oneOf(e.get("operator"), at + ".operator", "", List.of("In", "NotIn", "Exists", "DoesNotExist"));
      Set<String> values = new HashSet<>(f.strings(e.get("values"), at + ".values"));
      boolean needsValues = op.equals("In") || op.equals("NotIn");
      if (needsValues == values.isEmpty()) {
        throw f.error(at + ".values", needsValues ? "must be non-empty for " + op : "must be empty for " + op);
      }
      String key = f.string(e.get("key"), at + ".key");
      if (key.isEmpty()) {
        throw f.error(at + ".key", "is required");
      }
      exprs.add(new LabelSelector.Requirement(key, switch (op) {
        case "In" -> LabelSelector.Operator.IN;
        case "NotIn" -> LabelSelector.Operator.NOT_IN;
        case "Exists" -> LabelSelector.Operator.EXISTS;
        default -> LabelSelector.Operator.DOES_NOT_EXIST;
      }, values));
    }
    s = s.and(new LabelSelector(exprs));
    if (s.isEmpty()) {
      throw f.error("spec.selector", "must not be empty: an empty selector would select every pod");
    }
    return s;
  }

  private static void requireSelected(WorkloadSpec spec, Fields f) {
    LabelSelector selector = switch (spec) {
      case ReplicaSetSpec s -> s.selector();
      case DeploymentSpec s -> s.selector();
      case DaemonSetSpec s -> s.selector();
      case StatefulSetSpec s -> s.selector();
      case JobSpec unused -> LabelSelector.EVERYTHING;
    };
    if (!selector.matches(spec.template().labels())) {
      throw f.error("spec.template.metadata.labels", "do not match spec.selector (" + selector + "): the workload"
          + " would not find the pods it makes; give the template the labels the selector asks for");
    }
  }

  /// Reads a stored object again (it was valid when stored).
  public Parsed reread(Kind kind, Map<String, Object> obj, String where) {
    try {
      return parse(kind, obj, where, new ArrayList<>());
    } catch (InvalidArgumentException e) {
      throw new io.peapod.base.error.InternalException(where + " no longer validates: " + e.getMessage(), e);
    }
  }
}
