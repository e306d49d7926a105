package io.peapod.kubelet.pod;

import io.peapod.base.error.AlreadyExistsException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.io.FileTrees;
import io.peapod.base.error.NotFoundException;
import io.peapod.image.ImageService;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.ParsedManifests;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeMountSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import io.peapod.kubelet.pod.PodStore.PodRow;
import io.peapod.runtime.RuntimeService;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.PortMapping;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.api.SecurityContext;
import io.peapod.runtime.api.VolumeMount;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/// Turns manifests into running pods and back: the kubelet's sync for one node, driven by `apply` and
/// `delete`. A create that fails part-way removes everything it made before the error is returned.
public final class PodManager {
  private static final Logger LOG = System.getLogger(PodManager.class.getName());
  private final RuntimeService runtime;
  private final ImageService images;
  private final PodStore store;
  private final Path podsRoot;
  private final Path logRoot;
  private final long nodeMemoryBytes;
  private final ManifestParser parser = new ManifestParser();
  /// A container's position in the pod spec: containers start in parallel, so creation order is not it.
  private static final String INDEX_LABEL = "peapod.io/container-index";

  /// @param podsRoot per-pod files, `<pods>/<uid>/volumes/<name>/` and `<pods>/<uid>/etc-hosts`
  public PodManager(RuntimeService runtime, ImageService images, Database db, Path podsRoot, Path logRoot,
      long nodeMemoryBytes) {
    this.runtime = runtime;
    this.images = images;
    this.store = new PodStore(db);
    this.podsRoot = podsRoot;
    this.logRoot = logRoot;
    this.nodeMemoryBytes = nodeMemoryBytes;
    removeOrphans();
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

  /// Validates every object in the file first, then creates the pods that do not exist yet.
  public ApplyResult apply(String yaml, String source) {
    ParsedManifests parsed = parser.parse(yaml, source);
    for (PodManifest pod : parsed.pods()) {
      for (ContainerSpec c : pod.containers()) {
        images.get(c.image());
      }
      for (VolumeSpec v : pod.volumes()) {
        if (v.kind() == VolumeSpec.Kind.HOST_PATH && !Files.exists(Path.of(v.hostPath()))) {
          throw new InvalidArgumentException(source + ": pod " + pod.name() + ": hostPath volume '" + v.name()
              + "' names " + v.hostPath() + ", which does not exist on this node");
        }
      }
    }
    List<String> results = new ArrayList<>();
    for (PodManifest pod : parsed.pods()) {
      String canonical = canonical(pod);
      Optional<PodRow> existing = store.find(pod.namespace(), pod.name());
      if (existing.isPresent()) {
        if (!existing.get().manifest().equals(canonical)) {
          throw new AlreadyExistsException("pod " + pod.namespace() + "/" + pod.name() + " exists with a different"
              + " spec; pods are immutable, so delete it first (peapod delete pod " + pod.name() + ")");
        }
        results.add("pod/" + pod.name() + " unchanged");
        continue;
      }
      create(pod, canonical);
      results.add("pod/" + pod.name() + " created" + (pod.source().equals("Pod") ? "" : " (from " + pod.source() + ")"));
    }
    return new ApplyResult(results, parsed.warnings());
  }

  /// The stored form of a manifest: the validated record's text, so an unchanged re-apply compares equal.
  private static String canonical(PodManifest pod) {
    return pod.toString();
  }

  private void create(PodManifest pod, String canonical) {
    long t0 = System.nanoTime();
    String uid = UUID.randomUUID().toString();
    Path logDir = logRoot.resolve(pod.namespace() + "_" + pod.name() + "_" + uid);
    Path podDir = podsRoot.resolve(uid);
    Path podVolumes = podDir.resolve("volumes");
    var namespaces = new NamespaceOptions(pod.hostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD,
        pod.hostPid() ? NamespaceMode.NODE : pod.shareProcessNamespace() ? NamespaceMode.POD : NamespaceMode.CONTAINER,
        pod.hostIpc() ? NamespaceMode.NODE : NamespaceMode.POD);
    String sandboxId = null;
    try {
      List<PortMapping> ports = new ArrayList<>();
      for (ContainerSpec c : pod.containers()) {
        c.ports().stream().filter(p -> p.hostPort() > 0)
            .forEach(p -> ports.add(new PortMapping(p.protocol(), p.containerPort(), p.hostPort(), p.hostIp())));
      }
      sandboxId = runtime.runPodSandbox(new PodSandboxConfig(pod.name(), pod.namespace(), uid, 0, pod.name(),
          logDir.toString(), namespaces, ports, PodDns.config(pod, Path.of("/etc/resolv.conf")), pod.labels(),
          pod.annotations()));
      final String sid = sandboxId;
      Path hosts = podDir.resolve("etc-hosts");
      Files.createDirectories(podDir);
      Files.writeString(hosts, PodDns.hosts(pod, runtime.podSandboxStatus(sid).ip(), Path.of("/etc/hosts")));
      List<ContainerConfig> configs = new ArrayList<>();
      for (int i = 0; i < pod.containers().size(); i++) {
        configs.add(containerConfig(pod, pod.containers().get(i), i, podVolumes, hosts));
      }
      List<String> ids = parallel(configs.stream().<Callable<String>>map(cfg -> () -> runtime.createContainer(sid, cfg))
          .toList());
      parallel(ids.stream().<Callable<String>>map(id -> () -> {
        runtime.startContainer(id);
        return id;
      }).toList());
      store.insert(new PodRow(uid, pod.namespace(), pod.name(), canonical, sandboxId, Instant.now(),
          pod.terminationGracePeriodSeconds()));
      LOG.log(Logger.Level.INFO, "pod {0}/{1} started in {2} ms", pod.namespace(), pod.name(),
          (System.nanoTime() - t0) / 1_000_000);
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
      deleteTree(podDir, e);
      deleteTree(logDir, e);
      throw e;
    }
  }

  private ContainerConfig containerConfig(PodManifest pod, ContainerSpec c, int index, Path podVolumes, Path hosts) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMount("/etc/hosts", hosts.toString(), false));
    for (VolumeMountSpec m : c.volumeMounts()) {
      VolumeSpec v = pod.volumes().stream().filter(x -> x.name().equals(m.name())).findFirst().orElseThrow();
      Path source = v.kind() == VolumeSpec.Kind.HOST_PATH ? Path.of(v.hostPath()) : podVolumes.resolve(v.name());
      if (!m.subPath().isEmpty()) {
        source = source.resolve(m.subPath());
      }
      if (v.kind() == VolumeSpec.Kind.EMPTY_DIR) {
        try {
          Files.createDirectories(source);
          Files.setAttribute(podVolumes.resolve(v.name()), "unix:mode", 01777);
        } catch (IOException e) {
          throw new InternalException("create emptyDir volume " + v.name() + " of pod " + pod.name(), e);
        }
      }
      mounts.add(new VolumeMount(m.mountPath(), source.toString(), m.readOnly()));
    }
    var s = c.security();
    return new ContainerConfig(c.name(), 0, c.image(), c.command(), c.args(), c.workingDir(), c.env(), mounts,
        c.name() + "/0.log", PodResources.of(pod, c, nodeMemoryBytes),
        new SecurityContext(s.privileged(), Optional.ofNullable(s.runAsUser()), Optional.ofNullable(s.runAsGroup()),
            s.readOnlyRootFilesystem(), s.addCapabilities(), s.dropCapabilities()),
        Map.of("io.kubernetes.container.name", c.name(), "io.kubernetes.pod.name", pod.name(),
            "io.kubernetes.pod.namespace", pod.namespace(), INDEX_LABEL, String.valueOf(index)), Map.of());
  }

  /// Runs independent steps on virtual threads and returns their results in order; the first
  /// failure is thrown after all have finished, so nothing is left running behind a rollback.
  private static <T> List<T> parallel(List<Callable<T>> tasks) {
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = tasks.stream().map(ex::submit).toList();
      List<T> out = new ArrayList<>();
      RuntimeException first = null;
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
              : new InternalException(String.valueOf(e.getCause().getMessage()), e.getCause());
          if (first == null) {
            first = cause;
          } else {
            first.addSuppressed(cause);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InternalException("interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
      return out;
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
    PodRow r = row(namespace, name);
    PodView before = view(r);
    Duration d = Duration.ofSeconds(graceSeconds.orElse(r.graceSeconds()));
    parallel(runtime.listContainers(Optional.of(r.sandboxId())).stream().<Callable<String>>map(c -> () -> {
      runtime.stopContainer(c.id(), d);
      return c.id();
    }).toList());
    runtime.removePodSandbox(r.sandboxId());
    InternalException cleanup = new InternalException("clean up pod " + name, null);
    deleteTree(podsRoot.resolve(r.uid()), cleanup);
    deleteTree(Path.of(before.logDirectory()), cleanup);
    store.delete(r.uid());
    if (cleanup.getSuppressed().length > 0) {
      throw cleanup;
    }
    return before;
  }

  /// Deletes the pods a manifest names (`delete -f`); pods already gone are reported, not an error.
  public ApplyResult deleteManifest(String yaml, String source, Optional<Long> graceSeconds) {
    ParsedManifests parsed = parser.parse(yaml, source);
    List<String> results = new ArrayList<>();
    for (PodManifest pod : parsed.pods()) {
      if (store.find(pod.namespace(), pod.name()).isEmpty()) {
        results.add("pod/" + pod.name() + " not found");
        continue;
      }
      delete(pod.namespace(), pod.name(), graceSeconds);
      results.add("pod/" + pod.name() + " deleted");
    }
    return new ApplyResult(results, parsed.warnings());
  }

  private PodView view(PodRow r) {
    SandboxStatus s = runtime.podSandboxStatus(r.sandboxId());
    List<ContainerStatus> cs = runtime.listContainers(Optional.of(r.sandboxId())).stream()
        .sorted(Comparator.comparingInt(c -> Integer.parseInt(c.labels().getOrDefault(INDEX_LABEL, "0")))).toList();
    List<PodView.ContainerView> views = new ArrayList<>();
    int running = 0;
    int failed = 0;
    int exited = 0;
    int restarts = 0;
    for (ContainerStatus c : cs) {
      views.add(new PodView.ContainerView(c.name(), c.id(), c.image(), c.imageId(), c.state(), c.reason(),
          c.exitCode(), c.attempt(), c.state() == ContainerState.RUNNING ? c.pid() : 0, c.startedAt(), c.finishedAt(),
          c.logPath()));
      restarts += c.attempt();
      switch (c.state()) {
        case RUNNING -> running++;
        case EXITED -> {
          exited++;
          if (c.exitCode() != 0) {
            failed++;
          }
        }
        case CREATED, UNKNOWN -> { }
      }
    }
    int total = cs.size();
    String phase = running == total ? "Running" : exited == total ? (failed > 0 ? "Failed" : "Succeeded")
        : running > 0 ? "Running" : "Pending";
    String status = running == total ? "Running" : exited == total ? (failed > 0 ? "Error" : "Completed")
        : running > 0 ? "NotReady" : "ContainerCreating";
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
}
