package io.peapod.controllers.object;

import io.peapod.base.error.InvalidArgumentException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/// The workload kinds peapod's controllers run, with their API group and the names kubectl accepts.
public enum Kind {
  JOB("Job", "batch/v1", "jobs", List.of("job", "jobs")),
  REPLICA_SET("ReplicaSet", "apps/v1", "replicasets", List.of("rs", "replicaset", "replicasets")),
  DEPLOYMENT("Deployment", "apps/v1", "deployments", List.of("deploy", "deployment", "deployments")),
  DAEMON_SET("DaemonSet", "apps/v1", "daemonsets", List.of("ds", "daemonset", "daemonsets")),
  STATEFUL_SET("StatefulSet", "apps/v1", "statefulsets", List.of("sts", "statefulset", "statefulsets"));

  private final String kindName;
  private final String apiVersion;
  private final String plural;
  private final List<String> names;

  Kind(String kindName, String apiVersion, String plural, List<String> names) {
    this.kindName = kindName;
    this.apiVersion = apiVersion;
    this.plural = plural;
    this.names = names;
  }

  /// `Job`, `ReplicaSet`, ... as in a manifest's `kind`.
  public String kindName() {
    return kindName;
  }

  public String apiVersion() {
    return apiVersion;
  }

  /// The resource name in API paths (`jobs`, `replicasets`, ...).
  public String plural() {
    return plural;
  }

  /// kubectl's lower-case singular (`deployment.apps/web` prints as `deployment`).
  public String singular() {
    return kindName.toLowerCase(java.util.Locale.ROOT);
  }

  public static Optional<Kind> ofKindName(String kind) {
    return Arrays.stream(values()).filter(k -> k.kindName.equals(kind)).findFirst();
  }

  /// A kind by any name kubectl takes for it (`deploy`, `deployments`, `deployment.apps`, ...).
  public static Optional<Kind> ofResource(String resource) {
    String r = resource.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.(apps|batch)$", "");
    return Arrays.stream(values()).filter(k -> k.names.contains(r)).findFirst();
  }

  public static Kind requireResource(String resource) {
    return ofResource(resource).orElseThrow(() -> new InvalidArgumentException("unknown resource type '" + resource
        + "'; workload kinds are jobs, deployments, replicasets, daemonsets and statefulsets"));
  }
}
