package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/// The resource names kubectl users type (`deploy`, `rs`, `sts`, `deployment.apps`, ...) and the
/// `TYPE NAME...` or `TYPE/NAME` forms commands take them in.
final class Resources {
  private static final Map<String, String> WORKLOADS = Map.ofEntries(
      Map.entry("job", "jobs"), Map.entry("jobs", "jobs"),
      Map.entry("deploy", "deployments"), Map.entry("deployment", "deployments"),
      Map.entry("deployments", "deployments"),
      Map.entry("rs", "replicasets"), Map.entry("replicaset", "replicasets"), Map.entry("replicasets", "replicasets"),
      Map.entry("ds", "daemonsets"), Map.entry("daemonset", "daemonsets"), Map.entry("daemonsets", "daemonsets"),
      Map.entry("sts", "statefulsets"), Map.entry("statefulset", "statefulsets"),
      Map.entry("statefulsets", "statefulsets"));
  static final List<String> POD_NAMES = List.of("pods", "pod", "po");

  private Resources() {}

  /// A resource type and the names given with it.
  record Target(String type, List<String> names) {}

  /// `TYPE NAME...` or `TYPE/NAME...` (all of one type) from the positionals.
  static Target target(List<String> positionals, String what) {
    if (positionals.isEmpty()) {
      throw new InvalidArgumentException("missing " + what);
    }
    String first = positionals.getFirst();
    if (!first.contains("/")) {
      return new Target(first, positionals.subList(1, positionals.size()));
    }
    String type = first.substring(0, first.indexOf('/'));
    List<String> names = new java.util.ArrayList<>();
    for (String p : positionals) {
      int slash = p.indexOf('/');
      if (slash < 0 || !p.substring(0, slash).equals(type)) {
        throw new InvalidArgumentException("'" + p + "': give every object as " + type + "/NAME, or TYPE NAME...");
      }
      names.add(p.substring(slash + 1));
    }
    return new Target(type, names);
  }

  /// The workload resource (`deployments`, ...) a name stands for, if it is one.
  static Optional<String> workload(String type) {
    return Optional.ofNullable(WORKLOADS.get(type.toLowerCase(Locale.ROOT).replaceFirst("\\.(apps|batch)$", "")));
  }

  static String requireWorkload(String type, String verb) {
    return workload(type).orElseThrow(() -> new InvalidArgumentException(verb + ": '" + type + "' is not a workload;"
        + " use deployment, replicaset, statefulset, daemonset or job"));
  }

  /// kubectl's `kind.group/name` (`deployment.apps/web`).
  static String ref(String plural, String name) {
    return kind(plural) + "/" + name;
  }

  /// kubectl's `kind.group` (`deployment.apps`), as its messages name objects.
  static String kind(String plural) {
    return switch (plural) {
      case "jobs" -> "job.batch";
      case "deployments" -> "deployment.apps";
      case "replicasets" -> "replicaset.apps";
      case "daemonsets" -> "daemonset.apps";
      case "statefulsets" -> "statefulset.apps";
      default -> plural;
    };
  }
}
