package io.peapod.cri.mapping;

import io.peapod.cri.v1.ContainerFilter;
import io.peapod.cri.v1.ContainerStatsFilter;
import io.peapod.cri.v1.PodSandboxFilter;
import io.peapod.cri.v1.PodSandboxStatsFilter;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxStatus;
import java.util.Map;
import java.util.function.Predicate;

/// CRI's list filters. Ids match by prefix, as crictl's short ids do (containerd does the same); a
/// label selector is a set of exact `key=value` pairs that all must hold.
public final class Filters {
  private Filters() {}

  public static Predicate<SandboxStatus> sandboxes(PodSandboxFilter f) {
    Predicate<SandboxStatus> p = s -> s.id().startsWith(f.getId()) && labels(s.config().labels(),
        f.getLabelSelectorMap());
    return f.hasState() ? p.and(s -> Statuses.state(s) == f.getState().getState()) : p;
  }

  public static Predicate<SandboxStatus> sandboxes(PodSandboxStatsFilter f) {
    return s -> s.id().startsWith(f.getId()) && labels(s.config().labels(), f.getLabelSelectorMap());
  }

  public static Predicate<ContainerStatus> containers(ContainerFilter f) {
    Predicate<ContainerStatus> p = c -> c.id().startsWith(f.getId()) && c.sandboxId().startsWith(f.getPodSandboxId())
        && labels(c.labels(), f.getLabelSelectorMap());
    return f.hasState() ? p.and(c -> Statuses.state(c) == f.getState().getState()) : p;
  }

  public static Predicate<ContainerStatus> containers(ContainerStatsFilter f) {
    return c -> c.id().startsWith(f.getId()) && c.sandboxId().startsWith(f.getPodSandboxId())
        && labels(c.labels(), f.getLabelSelectorMap());
  }

  private static boolean labels(Map<String, String> have, Map<String, String> want) {
    return want.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }
}
