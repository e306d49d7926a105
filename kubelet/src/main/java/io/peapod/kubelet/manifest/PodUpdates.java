package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Which changes `apply` may make to a pod that exists, as the API server allows them: metadata
/// (labels, annotations, owner references), each container's `image` (its pull policy follows the image
/// when it was defaulted), and `activeDeadlineSeconds` (set, or lowered). Any other change is refused
/// with kubectl's kind of message naming the first field that differs.
public final class PodUpdates {
  private static final Map<String, String> FIELD_NAMES = Map.ofEntries(Map.entry("hostPid", "hostPID"),
      Map.entry("hostIpc", "hostIPC"), Map.entry("security", "securityContext"),
      Map.entry("cpuRequestMilli", "resources.requests.cpu"), Map.entry("cpuLimitMilli", "resources.limits.cpu"),
      Map.entry("memoryRequestBytes", "resources.requests.memory"),
      Map.entry("memoryLimitBytes", "resources.limits.memory"), Map.entry("hostAliases", "hostAliases"),
      Map.entry("imagePullSecrets", "imagePullSecrets"));

  private PodUpdates() {}

  /// Throws [InvalidArgumentException] if `next` changes `current` in a way a pod cannot be changed.
  public static void check(PodManifest current, PodManifest next) {
    if (next.activeDeadlineSeconds().isEmpty() && current.activeDeadlineSeconds().isPresent()) {
      throw invalid(current, "spec.activeDeadlineSeconds", "Invalid value: null: must not be removed once set");
    }
    if (next.activeDeadlineSeconds().isPresent() && current.activeDeadlineSeconds().isPresent()
        && next.activeDeadlineSeconds().get() > current.activeDeadlineSeconds().get()) {
      throw invalid(current, "spec.activeDeadlineSeconds", "Invalid value: " + next.activeDeadlineSeconds().get()
          + ": must be less than or equal to the previous value " + current.activeDeadlineSeconds().get());
    }
    PodManifest a = comparable(current);
    PodManifest b = comparable(next);
    if (a.containers().size() != b.containers().size()
        || a.initContainers().size() != b.initContainers().size()) {
      throw forbidden(current, "spec.containers");
    }
    firstDifference(a, b, "spec").ifPresent(field -> {
      throw forbidden(current, field);
    });
  }

  /// The pod with what may change set to fixed values, so that what is left must be equal.
  private static PodManifest comparable(PodManifest p) {
    return new PodManifest(p.name(), p.namespace(), Map.of(), Map.of(), List.of(), "", p.shareProcessNamespace(),
        p.hostNetwork(), p.hostPid(), p.hostIpc(), p.restartPolicy(), p.terminationGracePeriodSeconds(),
        Optional.empty(), p.hostname(), p.initContainers().stream().map(PodUpdates::comparable).toList(),
        p.containers().stream().map(PodUpdates::comparable).toList(), p.volumes(), p.hostAliases(), p.dnsPolicy(),
        p.dnsConfig(), p.imagePullSecrets(), p.security(), p.hostUsers(), p.ephemeralContainers());
  }

  private static ContainerSpec comparable(ContainerSpec c) {
    return new ContainerSpec(c.name(), "", "", c.command(), c.args(), c.workingDir(), c.env(), c.envFrom(),
        c.cpuRequestMilli(),
        c.cpuLimitMilli(), c.memoryRequestBytes(), c.memoryLimitBytes(), c.security(), c.volumeMounts(), c.ports(),
        c.livenessProbe(), c.readinessProbe(), c.startupProbe(), c.lifecycle(), c.restartPolicy(),
        c.terminationMessagePath(), c.terminationMessagePolicy(), c.stdio());
  }

  /// The path of the first record component (descending into containers) that differs.
  private static Optional<String> firstDifference(Record a, Record b, String path) {
    for (RecordComponent rc : a.getClass().getRecordComponents()) {
      Object x = value(rc, a);
      Object y = value(rc, b);
      if (x.equals(y)) {
        continue;
      }
      String name = FIELD_NAMES.getOrDefault(rc.getName(), rc.getName());
      if (x instanceof List<?> lx && y instanceof List<?> ly && lx.size() == ly.size()
          && !lx.isEmpty() && lx.getFirst() instanceof ContainerSpec) {
        for (int i = 0; i < lx.size(); i++) {
          Optional<String> d = firstDifference((Record) lx.get(i), (Record) ly.get(i), path + "." + name + "[" + i
              + "]");
          if (d.isPresent()) {
            return d;
          }
        }
      }
      return Optional.of(path + "." + name);
    }
    return Optional.empty();
  }

  private static Object value(RecordComponent rc, Record r) {
    try {
      Object v = rc.getAccessor().invoke(r);
      return v == null ? "" : v;
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("read " + rc.getName(), e);
    }
  }

  private static InvalidArgumentException forbidden(PodManifest pod, String field) {
    return invalid(pod, field, "Forbidden: pod updates may not change fields other than spec.containers[*].image,"
        + " spec.initContainers[*].image, spec.activeDeadlineSeconds, metadata.labels, metadata.annotations and"
        + " metadata.ownerReferences; delete the pod and apply it again (peapod delete pod " + pod.name() + ")");
  }

  private static InvalidArgumentException invalid(PodManifest pod, String field, String what) {
    return new InvalidArgumentException("The Pod \"" + pod.name() + "\" is invalid: " + field + ": " + what);
  }
}
