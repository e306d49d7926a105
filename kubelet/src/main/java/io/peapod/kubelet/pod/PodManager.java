package io.peapod.kubelet.pod;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.AlreadyExistsException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.io.FileTrees;
import io.peapod.kubelet.image.ImageManager;
import io.peapod.kubelet.image.ImageOutcome;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.ParsedManifests;
import io.peapod.kubelet.manifest.ParsedManifests.PodDocument;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import io.peapod.kubelet.manifest.SecretManifest;
import io.peapod.kubelet.pod.PodStore.PodRow;
import io.peapod.kubelet.secret.SecretStore;
import io.peapod.runtime.RuntimeService;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.PortMapping;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.state.Database;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/// Turns manifests into pods and back: the kubelet's sync for one node. `apply` creates the sandbox and
/// makes a first sync of the containers before it returns; containers whose image is not ready yet wait
/// (ErrImagePull, ImagePullBackOff, ErrImageNeverPull) and later syncs create them. Any other failure
/// of a create removes everything it made before the error is returned.
public final class PodManager implements AutoCloseable {
  private static final Logger LOG = System.getLogger(PodManager.class.getName());
  /// How often a pod with waiting containers is synced again; pulls themselves follow their back-off.
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private final RuntimeService runtime;
  private final ImageManager images;
  private final SecretStore secrets;
  private final PodStore store;
  private final Path podsRoot;
  private final Path logRoot;
  private final ManifestParser parser = new ManifestParser();
  private final WaitingContainers waits = new WaitingContainers();
  /// Pod specs by uid, read once from the stored document.
  private final ConcurrentHashMap<String, PodManifest> specs = new ConcurrentHashMap<>();
  private final ContainerSync containers;
  private final PodWorkers workers = new PodWorkers();
  /// By `namespace/name`: apply, delete and background syncs of one pod run one at a time.
  private final KeyedLock<String> podLocks = new KeyedLock<>();

  /// @param podsRoot per-pod files, `<pods>/<uid>/volumes/<name>/` and `<pods>/<uid>/etc-hosts`
  /// @param createBackOff spaces out new tries of containers whose creation failed in a later sync
  public PodManager(RuntimeService runtime, ImageManager images, SecretStore secrets, BackOff createBackOff,
      Database db, Path podsRoot, Path logRoot, long nodeMemoryBytes) {
    this.runtime = runtime;
    this.images = images;
    this.secrets = secrets;
    this.store = new PodStore(db);
    this.podsRoot = podsRoot;
    this.logRoot = logRoot;
    this.containers = new ContainerSync(runtime, images, secrets, waits, createBackOff, nodeMemoryBytes);
    removeOrphans();
    for (PodRow r : store.list(Optional.empty())) {
      workers.schedule(r.uid(), Duration.ZERO, () -> resync(r.uid()));
    }
  }

  /// Removes sandboxes no pod owns: what a daemon killed in the middle of creating a pod left behind
  /// (its network, netns pin, pause container), as kubelet's garbage collection does.
  private void removeOrphans() {
    List<String> owned = store.list(Optional.empty()).stream().map(PodRow::sandboxId).toList();
    for (SandboxStatus s : runtime.listPodSandboxes()) {
      if (!owned.contains(s.id())) {
        LOG.log(Logger.Level.INFO, "removing orphaned sandbox {0} of pod {1}/{2}", s.id().substring(0, 12),
            s.config().namespace(), s.config().name());
        runtime.removePodSandbox(s.id());
        RuntimeException cleanup = new InternalException("clean up orphaned pod files", null);
        deleteTree(podsRoot.resolve(s.config().uid()), cleanup);
        deleteTree(Path.of(s.config().logDirectory()), cleanup);
        if (cleanup.getSuppressed().length > 0) {
          throw cleanup;
        }
      }
    }
  }

  /// Validates every object in the file first, then stores its secrets and creates the pods that do not
  /// exist yet.
  public ApplyResult apply(String yaml, String source) {
    ParsedManifests parsed = parser.parse(yaml, source);
    parsed.secrets().forEach(SecretStore::validate);
    for (PodDocument d : parsed.pods()) {
      PodManifest pod = d.pod();
      for (VolumeSpec v : pod.volumes()) {
        if (v.kind() == VolumeSpec.Kind.HOST_PATH && !Files.exists(Path.of(v.hostPath()))) {
          throw new InvalidArgumentException(source + ": pod " + pod.name() + ": hostPath volume '" + v.name()
              + "' names " + v.hostPath() + ", which does not exist on this node");
        }
      }
    }
    List<String> results = new ArrayList<>();
    for (SecretManifest s : parsed.secrets()) {
      results.add("secret/" + s.name() + (secrets.put(s) ? " configured" : " created"));
    }
    for (PodDocument d : parsed.pods()) {
      PodManifest pod = d.pod();
      results.add(podLocks.withLock(pod.namespace() + "/" + pod.name(), () -> {
        Optional<PodRow> existing = store.find(pod.namespace(), pod.name());
        if (existing.isPresent()) {
          if (!existing.get().manifest().equals(canonical(pod))) {
            throw new AlreadyExistsException("pod " + pod.namespace() + "/" + pod.name() + " exists with a different"
                + " spec; pods are immutable, so delete it first (peapod delete pod " + pod.name() + ")");
          }
          return "pod/" + pod.name() + " unchanged";
        }
        create(d);
        return "pod/" + pod.name() + " created" + (pod.source().equals("Pod") ? "" : " (from " + pod.source() + ")");
      }));
    }
    return new ApplyResult(results, parsed.warnings());
  }

  /// The stored form of a manifest: the validated record's text, so an unchanged re-apply compares equal.
  private static String canonical(PodManifest pod) {
    return pod.toString();
  }

  private void create(PodDocument d) {
    PodManifest pod = d.pod();
    long t0 = System.nanoTime();
    String uid = UUID.randomUUID().toString();
    Path logDir = logRoot.resolve(pod.namespace() + "_" + pod.name() + "_" + uid);
    Path podDir = podsRoot.resolve(uid);
    var namespaces = new NamespaceOptions(pod.hostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD,
        pod.hostPid() ? NamespaceMode.NODE : pod.shareProcessNamespace() ? NamespaceMode.POD : NamespaceMode.CONTAINER,
        pod.hostIpc() ? NamespaceMode.NODE : NamespaceMode.POD);
    String sandboxId = null;
    boolean stored = false;
    try {
      List<PortMapping> ports = new ArrayList<>();
      for (ContainerSpec c : pod.containers()) {
        c.ports().stream().filter(p -> p.hostPort() > 0)
            .forEach(p -> ports.add(new PortMapping(p.protocol(), p.containerPort(), p.hostPort(), p.hostIp())));
      }
      sandboxId = runtime.runPodSandbox(new PodSandboxConfig(pod.name(), pod.namespace(), uid, 0, pod.name(),
          logDir.toString(), namespaces, ports, PodDns.config(pod, Path.of("/etc/resolv.conf")), pod.labels(),
          pod.annotations()));
      Files.createDirectories(podDir);
      Files.writeString(podDir.resolve("etc-hosts"), PodDns.hosts(pod, runtime.podSandboxStatus(sandboxId).ip(),
          Path.of("/etc/hosts")));
      store.insert(new PodRow(uid, pod.namespace(), pod.name(), canonical(pod), sandboxId, Instant.now(),
          pod.terminationGracePeriodSeconds(), d.yaml()));
      stored = true;
      specs.put(uid, pod);
      boolean waiting = containers.syncStrict(pod, uid, sandboxId, podDir);
      if (waiting) {
        workers.schedule(uid, RESYNC, () -> resync(uid));
      }
      LOG.log(Logger.Level.INFO, "pod {0}/{1} {2} in {3} ms", pod.namespace(), pod.name(),
          waiting ? "created, some containers waiting" : "started", (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException | RuntimeException failure) {
      RuntimeException e = failure instanceof RuntimeException r ? r
          : new InternalException("create pod " + pod.name() + ": " + failure.getMessage(), failure);
      if (sandboxId != null) {
        try {
          runtime.removePodSandbox(sandboxId);
        } catch (RuntimeException undo) {
          e.addSuppressed(undo);
        }
      }
      if (stored) {
        store.delete(uid);
      }
      forget(uid);
      deleteTree(podDir, e);
      deleteTree(logDir, e);
      throw e;
    }
  }

  /// A later sync of a pod with waiting containers: pulls what is due (outside the pod's lock, so a
  /// slow registry does not hold up `delete`), then creates what is ready; again after [#RESYNC] while
  /// something still waits. A failure is logged and retried.
  private void resync(String uid) {
    Optional<PodRow> row = store.byUid(uid);
    if (row.isEmpty() || row.get().document().isEmpty()) {
      return;
    }
    PodRow r = row.get();
    PodManifest pod = spec(r);
    boolean again;
    try {
      Map<String, ImageOutcome> images = containers.ensureImages(pod, uid, r.sandboxId());
      again = podLocks.withLock(r.namespace() + "/" + r.name(), () -> {
        if (store.byUid(uid).isEmpty()) {
          forget(uid);
          return false;
        }
        return containers.createReady(pod, uid, r.sandboxId(), podsRoot.resolve(uid), images, false);
      });
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.WARNING, "sync of pod " + pod.namespace() + "/" + pod.name() + " failed; retrying", e);
      again = store.byUid(uid).isPresent();
    }
    if (again) {
      workers.schedule(uid, RESYNC, () -> resync(uid));
    }
  }

  public List<PodView> list(Optional<String> namespace) {
    return store.list(namespace).stream().map(this::view).toList();
  }

  public PodView get(String namespace, String name) {
    return view(row(namespace, name));
  }

  private PodRow row(String namespace, String name) {
    return store.find(namespace, name).orElseThrow(() -> new NotFoundException("pod " + namespace + "/" + name
        + " not found"));
  }

  /// Stops the pod's containers (SIGTERM, SIGKILL after the grace period), removes its sandbox,
  /// volumes and logs.
  public PodView delete(String namespace, String name, Optional<Long> graceSeconds) {
    return podLocks.withLock(namespace + "/" + name, () -> {
      PodRow r = row(namespace, name);
      PodView before = view(r);
      Duration d = Duration.ofSeconds(graceSeconds.orElse(r.graceSeconds()));
      Parallel.run(runtime.listContainers(Optional.of(r.sandboxId())).stream().<Callable<String>>map(c -> () -> {
        runtime.stopContainer(c.id(), d);
        return c.id();
      }).toList());
      runtime.removePodSandbox(r.sandboxId());
      InternalException cleanup = new InternalException("clean up pod " + name, null);
      deleteTree(podsRoot.resolve(r.uid()), cleanup);
      deleteTree(Path.of(before.logDirectory()), cleanup);
      store.delete(r.uid());
      forget(r.uid());
      if (cleanup.getSuppressed().length > 0) {
        throw cleanup;
      }
      return before;
    });
  }

  private void forget(String uid) {
    specs.remove(uid);
    containers.forget(uid);
    images.forget(uid);
  }

  /// Deletes the pods and secrets a manifest names (`delete -f`); objects already gone are reported, not
  /// an error.
  public ApplyResult deleteManifest(String yaml, String source, Optional<Long> graceSeconds) {
    ParsedManifests parsed = parser.parse(yaml, source);
    List<String> results = new ArrayList<>();
    for (PodDocument d : parsed.pods()) {
      PodManifest pod = d.pod();
      if (store.find(pod.namespace(), pod.name()).isEmpty()) {
        results.add("pod/" + pod.name() + " not found");
        continue;
      }
      delete(pod.namespace(), pod.name(), graceSeconds);
      results.add("pod/" + pod.name() + " deleted");
    }
    for (SecretManifest s : parsed.secrets()) {
      results.add("secret/" + s.name() + (secrets.delete(s.namespace(), s.name()) ? " deleted" : " not found"));
    }
    return new ApplyResult(results, parsed.warnings());
  }

  private PodView view(PodRow r) {
    SandboxStatus s = runtime.podSandboxStatus(r.sandboxId());
    List<ContainerStatus> cs = runtime.listContainers(Optional.of(r.sandboxId())).stream()
        .sorted(Comparator.comparingInt(c -> Integer.parseInt(c.labels().getOrDefault(ContainerSync.INDEX_LABEL, "0"))))
        .toList();
    List<PodView.ContainerView> views = new ArrayList<>();
    for (ContainerStatus c : cs) {
      views.add(new PodView.ContainerView(c.name(), c.id(), c.image(), c.imageId(), state(c.state()),
          switch (c.state()) {
            case EXITED -> c.reason();
            case CREATED -> "ContainerCreating";
            case UNKNOWN -> "Unknown";
            case RUNNING -> "";
          }, "", c.exitCode(), c.attempt(), c.state() == ContainerState.RUNNING ? c.pid() : 0, c.startedAt(),
          c.finishedAt(), c.logPath()));
    }
    if (!r.document().isEmpty() && cs.size() < spec(r).containers().size()) {
      views = withWaiting(r, views);
    }
    return summarize(r, s, views);
  }

  private List<PodView.ContainerView> withWaiting(PodRow r, List<PodView.ContainerView> created) {
    List<PodView.ContainerView> out = new ArrayList<>();
    for (ContainerSpec c : spec(r).containers()) {
      out.add(created.stream().filter(v -> v.name().equals(c.name())).findFirst().orElseGet(() -> {
        var w = waits.of(r.uid(), c.name()).orElse(new ImageOutcome.Waiting("ContainerCreating", ""));
        return new PodView.ContainerView(c.name(), "", c.image(), "", PodView.State.WAITING, w.reason(), w.message(),
            0, 0, 0, Optional.empty(), Optional.empty(), "");
      }));
    }
    return out;
  }

  private PodManifest spec(PodRow r) {
    return specs.computeIfAbsent(r.uid(), uid -> parser.parse(r.document(), "stored pod " + r.namespace() + "/"
        + r.name()).pods().getFirst().pod());
  }

  private static PodView.State state(ContainerState s) {
    return switch (s) {
      case RUNNING -> PodView.State.RUNNING;
      case EXITED -> PodView.State.TERMINATED;
      case CREATED, UNKNOWN -> PodView.State.WAITING;
    };
  }

  /// kubectl's pod columns: a waiting reason other than ContainerCreating (the last one) is the status;
  /// a pod with a container not created yet is Pending.
  private static PodView summarize(PodRow r, SandboxStatus s, List<PodView.ContainerView> views) {
    int running = 0;
    int failed = 0;
    int exited = 0;
    int waiting = 0;
    int restarts = 0;
    String waitReason = "";
    for (PodView.ContainerView c : views) {
      restarts += c.restartCount();
      switch (c.state()) {
        case RUNNING -> running++;
        case TERMINATED -> {
          exited++;
          if (c.exitCode() != 0) {
            failed++;
          }
        }
        case WAITING -> {
          waiting++;
          if (!c.reason().equals("ContainerCreating")) {
            waitReason = c.reason();
          }
        }
      }
    }
    int total = views.size();
    String phase = waiting > 0 && running == 0 && exited == 0 ? "Pending" : running == total ? "Running"
        : exited == total ? (failed > 0 ? "Failed" : "Succeeded") : waiting > 0 ? "Pending" : "Running";
    String status = !waitReason.isEmpty() ? waitReason : running == total ? "Running"
        : exited == total ? (failed > 0 ? "Error" : "Completed") : running > 0 ? "NotReady" : "ContainerCreating";
    return new PodView(r.name(), r.namespace(), r.uid(), phase, status, running, total, restarts, r.created(),
        s.ip(), "localhost", s.id(), s.pausePid(), s.netnsPath(), s.config().namespaces().pid() == NamespaceMode.POD,
        s.config().namespaces().network() == NamespaceMode.NODE, s.config().logDirectory(), views);
  }

  /// Deletes a directory tree; a failure is attached to `collect` rather than hiding the error being handled.
  private static void deleteTree(Path dir, Throwable collect) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      collect.addSuppressed(e);
    }
  }

  /// Stops the background syncs; pods and their containers keep running.
  @Override
  public void close() {
    workers.close();
  }
}
