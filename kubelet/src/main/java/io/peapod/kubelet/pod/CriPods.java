package io.peapod.kubelet.pod;

import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/// Pods a CRI client (a real kubelet, crictl) runs through cri.sock: sandboxes without peapod's
/// managed-by label. They are the same runtime objects as peapod's own pods, so `get pods` and `ns`
/// show them (source `cri`, read-only: the client that made them owns them).
public final class CriPods {
  /// A CRI pod's `source`, as `api` and `file` name peapod's own.
  public static final String SOURCE = "cri";
  private final RuntimeService runtime;

  public CriPods(RuntimeService runtime) {
    this.runtime = runtime;
  }

  /// The newest sandbox of every CRI pod in `namespace` (or all).
  public List<PodView> list(Optional<String> namespace) {
    return newest(s -> namespace.map(n -> n.equals(s.config().namespace())).orElse(true)).stream()
        .map(this::view).toList();
  }

  /// One CRI pod: only its own sandbox's containers are listed.
  public Optional<PodView> find(String namespace, String name) {
    return newest(s -> s.config().namespace().equals(namespace) && s.config().name().equals(name)).stream()
        .findFirst().map(this::view);
  }

  private Collection<SandboxStatus> newest(Predicate<SandboxStatus> which) {
    Map<String, SandboxStatus> newest = new LinkedHashMap<>();
    for (SandboxStatus s : runtime.listPodSandboxes(Optional.empty())) {
      if (!s.config().labels().containsKey(PodSandboxConfig.MANAGED_BY) && which.test(s)) {
        newest.merge(s.config().namespace() + "/" + s.config().name(), s,
            (a, b) -> a.createdAt().isAfter(b.createdAt()) ? a : b);
      }
    }
    return newest.values();
  }

  private PodView view(SandboxStatus s) {
    Map<String, ContainerStatus> latest = new LinkedHashMap<>();
    runtime.listContainers(Optional.of(s.id())).stream().sorted(Comparator.comparing(ContainerStatus::attempt))
        .forEach(c -> latest.put(c.name(), c));
    List<PodView.ContainerView> containers = new ArrayList<>();
    for (ContainerStatus c : latest.values()) {
      containers.add(new PodView.ContainerView(c.name(), c.id(), c.image(), c.imageId(), state(c), c.reason(),
          c.message(), c.exitCode(), c.attempt(), c.state() == ContainerState.RUNNING,
          c.state() == ContainerState.RUNNING, false, c.pid(), c.startedAt(), c.finishedAt(), c.logPath(),
          Optional.empty()));
    }
    int running = (int) latest.values().stream().filter(c -> c.state() == ContainerState.RUNNING).count();
    String phase = s.ready() ? (running > 0 ? "Running" : "Pending")
        : latest.values().stream().allMatch(c -> c.exitCode() == 0) ? "Succeeded" : "Failed";
    return new PodView(s.config().name(), s.config().namespace(), s.podUid(), s.config().labels(),
        s.config().annotations(), List.of(), phase, "", "", s.ready() ? phase : "NotReady", running,
        containers.size(), containers.stream().mapToInt(PodView.ContainerView::restartCount).sum(), Optional.empty(),
        s.createdAt(), Optional.of(s.createdAt()), Optional.empty(), s.ip(), "", s.id(), s.pausePid(), s.netnsPath(),
        s.config().namespaces().pid() == NamespaceMode.POD, s.config().namespaces().network() == NamespaceMode.NODE,
        s.config().logDirectory(), "", SOURCE, List.of(), List.of(), containers, List.of());
  }

  private static PodView.State state(ContainerStatus c) {
    return switch (c.state()) {
      case RUNNING -> PodView.State.RUNNING;
      case EXITED -> PodView.State.TERMINATED;
      case CREATED, UNKNOWN -> PodView.State.WAITING;
    };
  }
}
