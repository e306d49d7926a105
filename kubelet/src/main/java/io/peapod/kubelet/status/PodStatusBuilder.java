package io.peapod.kubelet.status;

import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.pod.PodCondition;
import io.peapod.kubelet.pod.PodRecord;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.pod.PodView.ContainerView;
import io.peapod.kubelet.pod.PodView.State;
import io.peapod.kubelet.pod.PodView.Terminated;
import io.peapod.kubelet.pod.StoredStatus;
import io.peapod.kubelet.podspec.PodResources;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.SandboxStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A pod's status from what the runtime has, why containers wait, and what the probes say: container
/// statuses as kubelet converts them (the newest instance, with the one before as `lastState`; an
/// ended container that will run again shows as waiting), the phase by kubelet's rules (a terminal phase
/// never changes), the conditions with their transition times, and kubectl's STATUS, READY and
/// RESTARTS columns.
public final class PodStatusBuilder {
  /// Whether a container counts as started and ready (its probes).
  public interface Health {
    boolean started(String containerId);

    boolean ready(String containerId);
  }

  /// The message of an ended container instance (its termination message file, or its log's tail).
  @FunctionalInterface
  public interface TerminationMessages {
    String of(String podUid, ContainerSpec spec, ContainerStatus instance);
  }

  /// The view, and the part of it that is stored.
  public record Result(PodView view, StoredStatus stored) {}

  private final Health health;
  private final TerminationMessages messages;
  private final String nodeName;

  public PodStatusBuilder(Health health, TerminationMessages messages, String nodeName) {
    this.health = health;
    this.messages = messages;
    this.nodeName = nodeName;
  }

  public Result build(PodRecord pod, PodManifest spec, PodRuntimeState state, Map<String, Waiting> waits,
      Optional<Waiting> sandboxWait, Instant now) {
    boolean initializing = spec.initContainers().stream().anyMatch(c -> !c.isSidecar()
        && state.latest(c.name()).filter(s -> s.state() == ContainerState.EXITED && s.exitCode() == 0).isEmpty());
    List<ContainerView> inits = new ArrayList<>();
    for (ContainerSpec c : spec.initContainers()) {
      inits.add(container(pod.uid(), c, state, waits, "PodInitializing", sandboxWait));
    }
    List<ContainerView> apps = new ArrayList<>();
    for (ContainerSpec c : spec.containers()) {
      apps.add(container(pod.uid(), c, state, waits, initializing ? "PodInitializing" : "ContainerCreating",
          sandboxWait));
    }
    List<ContainerView> ephemeral = new ArrayList<>();
    for (var e : spec.ephemeralContainers()) {
      ephemeral.add(container(pod.uid(), e.container(), state, waits, "ContainerCreating", sandboxWait));
    }
    // kubelet lists app container statuses by name (init containers stay in spec order), and kubectl's
    // STATUS column depends on that order.
    apps.sort(java.util.Comparator.comparing(ContainerView::name));
    String phase = pod.status().terminal() ? pod.status().phase() : phase(spec, inits, apps);
    List<PodCondition> conditions = conditions(pod, spec, state, inits, apps, phase, now);
    StoredStatus stored = new StoredStatus(phase, pod.status().reason(), pod.status().message(),
        Optional.of(pod.status().startTime().orElse(pod.created())), conditions);
    Optional<SandboxStatus> sandbox = state.latestSandbox();
    List<ContainerView> counted = new ArrayList<>(apps);
    for (int i = 0; i < inits.size(); i++) {
      if (spec.initContainers().get(i).isSidecar()) {
        counted.add(inits.get(i));
      }
    }
    int ready = (int) counted.stream().filter(ContainerView::ready).count();
    int restarts = 0;
    Optional<Instant> lastRestart = Optional.empty();
    for (ContainerView c : concat(inits, apps)) {
      restarts += c.restartCount();
      Optional<Instant> t = c.lastState().flatMap(Terminated::finishedAt);
      if (t.isPresent() && (lastRestart.isEmpty() || t.get().isAfter(lastRestart.get()))) {
        lastRestart = t;
      }
    }
    String display = display(pod, spec, inits, apps, phase, conditions);
    PodView view = new PodView(pod.name(), pod.namespace(), pod.uid(), spec.labels(), spec.annotations(),
        spec.ownerReferences(), phase,
        pod.status().reason(), pod.status().message(), display, ready, counted.size(), restarts, lastRestart,
        pod.created(), stored.startTime(), pod.deletion(), sandbox.map(SandboxStatus::ip).orElse(""), nodeName,
        sandbox.map(SandboxStatus::id).orElse(""), sandbox.filter(SandboxStatus::ready).map(SandboxStatus::pausePid)
            .orElse(0), sandbox.map(SandboxStatus::netnsPath).orElse(""),
        sandbox.map(s -> s.config().namespaces().pid() == NamespaceMode.POD).orElse(spec.shareProcessNamespace()),
        spec.hostNetwork(), sandbox.map(s -> s.config().logDirectory()).orElse(""), qosClass(spec), pod.source(),
        conditions, inits, apps, ephemeral);
    return new Result(view, stored);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private ContainerView container(String podUid, ContainerSpec c, PodRuntimeState state, Map<String, Waiting> waits,
      String defaultWait, Optional<Waiting> sandboxWait) {
    List<ContainerStatus> instances = state.instances(c.name());
    Optional<Waiting> wait = Optional.ofNullable(waits.get(c.name()));
    if (instances.isEmpty()) {
      Waiting w = wait.or(() -> sandboxWait).orElse(new Waiting(defaultWait, ""));
      return new ContainerView(c.name(), "", c.image(), "", State.WAITING, w.reason(), w.message(), 0, 0, false, false,
          c.isSidecar(), 0, Optional.empty(), Optional.empty(), "", Optional.empty());
    }
    ContainerStatus latest = instances.getFirst();
    Optional<Terminated> previous = instances.size() > 1 && instances.get(1).state() == ContainerState.EXITED
        ? Optional.of(terminated(podUid, c, instances.get(1))) : Optional.empty();
    return switch (latest.state()) {
      case RUNNING -> new ContainerView(c.name(), latest.id(), latest.image(), latest.imageId(), State.RUNNING, "", "",
          0, latest.attempt(), health.ready(latest.id()), health.started(latest.id()), c.isSidecar(), latest.pid(),
          latest.startedAt(), Optional.empty(), latest.logPath(), previous);
      case CREATED, UNKNOWN -> new ContainerView(c.name(), latest.id(), latest.image(), latest.imageId(),
          State.WAITING, "ContainerCreating", "", 0, latest.attempt(), false, false, c.isSidecar(), 0,
          Optional.empty(), Optional.empty(), latest.logPath(), previous);
      case EXITED -> {
        Terminated t = terminated(podUid, c, latest);
        if (wait.isPresent()) {
          yield new ContainerView(c.name(), "", c.image(), "", State.WAITING, wait.get().reason(), wait.get().message(),
              0, latest.attempt(), false, false, c.isSidecar(), 0, Optional.empty(), Optional.empty(), "",
              Optional.of(t));
        }
        yield new ContainerView(c.name(), latest.id(), latest.image(), latest.imageId(), State.TERMINATED, t.reason(),
            t.message(), t.exitCode(), latest.attempt(), false, false, c.isSidecar(), 0, t.startedAt(), t.finishedAt(),
            latest.logPath(), previous);
      }
    };
  }

  private Terminated terminated(String podUid, ContainerSpec c, ContainerStatus s) {
    String message = s.message().isEmpty() ? messages.of(podUid, c, s) : s.message();
    return new Terminated(s.id(), s.exitCode(), s.reason(), message, s.startedAt(), s.finishedAt(), s.logPath());
  }

  /// kubelet's getPhase. A sidecar counts only until it has started, and only while no app container
  /// has; an ended sidecar does not count at all.
  private static String phase(PodManifest spec, List<ContainerView> inits, List<ContainerView> apps) {
    int pendingInit = 0;
    int failedInit = 0;
    boolean appStarted = apps.stream().anyMatch(c -> c.state() != State.WAITING || c.lastState().isPresent());
    for (int i = 0; i < inits.size(); i++) {
      ContainerView c = inits.get(i);
      if (spec.initContainers().get(i).isSidecar()) {
        boolean pending = switch (c.state()) {
          case RUNNING -> !c.started();
          case TERMINATED -> false;
          case WAITING -> c.lastState().isEmpty();
        };
        if (pending && !appStarted) {
          pendingInit++;
        }
        continue;
      }
      boolean failed = (c.state() == State.TERMINATED && c.exitCode() != 0)
          || (c.state() == State.WAITING && c.lastState().filter(t -> t.exitCode() != 0).isPresent());
      boolean succeeded = c.state() == State.TERMINATED && c.exitCode() == 0;
      if (failed) {
        failedInit++;
      } else if (!succeeded) {
        pendingInit++;
      }
    }
    if (failedInit > 0 && spec.restartPolicy().equals("Never")) {
      return "Failed";
    }
    if (pendingInit > 0 || failedInit > 0) {
      return "Pending";
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerView c : apps) {
      switch (c.state()) {
        case RUNNING -> running++;
        case TERMINATED -> {
          stopped++;
          if (c.exitCode() == 0) {
            succeeded++;
          }
        }
        case WAITING -> {
          if (c.lastState().isPresent()) {
            stopped++;
          } else {
            waiting++;
          }
        }
      }
    }
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      if (spec.restartPolicy().equals("Always")) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      return spec.restartPolicy().equals("Never") ? "Failed" : "Running";
    }
    return "Pending";
  }

  private static List<PodCondition> conditions(PodRecord pod, PodManifest spec, PodRuntimeState state,
      List<ContainerView> inits, List<ContainerView> apps, String phase, Instant now) {
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    boolean sandboxReady = state.latestSandbox().filter(SandboxStatus::ready).isPresent();
    List<String> notInitialized = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    for (int i = 0; i < inits.size(); i++) {
      ContainerView c = inits.get(i);
      if (spec.initContainers().get(i).isSidecar()) {
        if (!c.started()) {
          notInitialized.add(c.name());
        }
        if (!c.ready()) {
          notReady.add(c.name());
        }
      } else if (!(c.state() == State.TERMINATED && c.exitCode() == 0)) {
        notInitialized.add(c.name());
      }
    }
    apps.stream().filter(c -> !c.ready()).forEach(c -> notReady.add(c.name()));
    String readyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String readyMessage = notReady.isEmpty() ? "" : "containers with unready status: " + notReady;
    List<PodCondition> out = new ArrayList<>();
    out.add(condition(pod, PodCondition.SCHEDULED, true, "", "", now));
    out.add(condition(pod, PodCondition.READY_TO_START, sandboxReady, "", "", now));
    out.add(condition(pod, PodCondition.INITIALIZED, notInitialized.isEmpty() || (terminal && inits.isEmpty()),
        notInitialized.isEmpty() ? "" : "ContainersNotInitialized",
        notInitialized.isEmpty() ? "" : "containers with incomplete status: " + notInitialized, now));
    boolean ready = notReady.isEmpty() && !terminal;
    out.add(condition(pod, PodCondition.CONTAINERS_READY, ready, ready ? "" : readyReason, readyMessage, now));
    out.add(condition(pod, PodCondition.READY, ready, ready ? "" : readyReason, readyMessage, now));
    return out;
  }

  private static PodCondition condition(PodRecord pod, String type, boolean value, String reason, String message,
      Instant now) {
    String status = value ? "True" : "False";
    Instant since = pod.status().condition(type).filter(c -> c.status().equals(status))
        .map(PodCondition::lastTransitionTime).orElse(now);
    return new PodCondition(type, status, since, reason, message);
  }

  /// kubectl's STATUS column (its `printPod`).
  private static String display(PodRecord pod, PodManifest spec, List<ContainerView> inits, List<ContainerView> apps,
      String phase, List<PodCondition> conditions) {
    String reason = pod.status().reason().isEmpty() ? phase : pod.status().reason();
    boolean initializing = false;
    for (int i = 0; i < inits.size(); i++) {
      ContainerView c = inits.get(i);
      boolean sidecar = spec.initContainers().get(i).isSidecar();
      if ((c.state() == State.TERMINATED && c.exitCode() == 0) || (sidecar && c.started())) {
        continue;
      }
      if (c.state() == State.TERMINATED) {
        reason = "Init:" + (c.reason().isEmpty() ? "ExitCode:" + c.exitCode() : c.reason());
      } else if (c.state() == State.WAITING && !c.reason().isEmpty() && !c.reason().equals("PodInitializing")) {
        reason = "Init:" + c.reason();
      } else {
        reason = "Init:" + i + "/" + inits.size();
      }
      initializing = true;
      break;
    }
    if (!initializing) {
      boolean hasRunning = false;
      for (ContainerView c : apps.reversed()) {
        if (c.state() == State.WAITING && !c.reason().isEmpty()) {
          reason = c.reason();
        } else if (c.state() == State.TERMINATED) {
          reason = c.reason().isEmpty() ? "ExitCode:" + c.exitCode() : c.reason();
        } else if (c.state() == State.RUNNING && c.ready()) {
          hasRunning = true;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        boolean ready = conditions.stream().anyMatch(c -> c.type().equals(PodCondition.READY) && c.isTrue());
        reason = ready ? "Running" : "NotReady";
      }
    }
    return pod.deleting() ? "Terminating" : reason;
  }

  private static String qosClass(PodManifest spec) {
    return switch (PodResources.qos(spec)) {
      case GUARANTEED -> "Guaranteed";
      case BURSTABLE -> "Burstable";
      case BEST_EFFORT -> "BestEffort";
    };
  }
}
