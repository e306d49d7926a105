package io.peapod.kubelet.pod;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.PeapodException;
import io.peapod.kubelet.image.ImageManager;
import io.peapod.kubelet.image.ImageOutcome;
import io.peapod.kubelet.image.ImageOutcome.Waiting;
import io.peapod.kubelet.image.PullPolicy;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeMountSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import io.peapod.kubelet.secret.SecretStore;
import io.peapod.kubelet.secret.SecretStore.PullCredentials;
import io.peapod.runtime.RuntimeService;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SecurityContext;
import io.peapod.runtime.api.VolumeMount;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/// One sync of a pod's containers, in two phases, as kubelet's SyncPod: [#ensureImages] makes sure of
/// the image of each container the sandbox does not hold yet (pulling as its policy says), then
/// [#createReady] creates and starts those whose image is ready, in parallel. Containers still
/// waiting keep the reason (ErrImagePull, ImagePullBackOff, ErrImageNeverPull, CreateContainerError)
/// for the pod's status and for the next sync.
final class ContainerSync {
  /// A container's position in the pod spec: containers start in parallel, so creation order is not it.
  static final String INDEX_LABEL = "peapod.io/container-index";
  private static final Logger LOG = System.getLogger(ContainerSync.class.getName());
  private static final String CREATE_ERROR = "CreateContainerError";

  private final RuntimeService runtime;
  private final ImageManager images;
  private final SecretStore secrets;
  private final WaitingContainers waits;
  /// Spaces out new tries of a container whose creation failed, by `<pod uid>/<container>`.
  private final BackOff createBackOff;
  private final long nodeMemoryBytes;

  ContainerSync(RuntimeService runtime, ImageManager images, SecretStore secrets, WaitingContainers waits,
      BackOff createBackOff, long nodeMemoryBytes) {
    this.runtime = runtime;
    this.images = images;
    this.secrets = secrets;
    this.waits = waits;
    this.createBackOff = createBackOff;
    this.nodeMemoryBytes = nodeMemoryBytes;
  }

  /// An image some containers need, with the policy they need it by.
  private record ImageNeed(String image, PullPolicy policy) {}

  /// Both phases at once; a failure to create is thrown (the first sync, which `apply` rolls back).
  boolean syncStrict(PodManifest pod, String uid, String sandboxId, Path podDir) {
    return createReady(pod, uid, sandboxId, podDir, ensureImages(pod, uid, sandboxId), true);
  }

  /// Phase one, by container name: one check (and at most one pull) per image and policy, however
  /// many of the pod's containers run it. Takes no pod lock: a pull may take minutes, and pulls of one
  /// layer are serialized by the layer store anyway.
  Map<String, ImageOutcome> ensureImages(PodManifest pod, String uid, String sandboxId) {
    Map<ImageNeed, List<String>> byImage = new LinkedHashMap<>();
    for (ContainerSpec c : missing(pod, sandboxId)) {
      if (failedCreate(uid, c.name()).isEmpty()) {
        byImage.computeIfAbsent(new ImageNeed(c.image(), PullPolicy.of(c.imagePullPolicy())), k -> new ArrayList<>())
            .add(c.name());
      }
    }
    PullCredentials credentials = secrets.pullCredentials(pod.namespace(), pod.imagePullSecrets());
    List<ImageNeed> images = List.copyOf(byImage.keySet());
    List<ImageOutcome> outcomes = Parallel.run(images.stream().<Callable<ImageOutcome>>map(i -> () ->
        withMissingSecrets(this.images.ensure(uid, i.image(), i.policy(), credentials.byHost()), credentials))
        .toList());
    Map<String, ImageOutcome> out = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      ImageOutcome outcome = outcomes.get(i);
      byImage.get(images.get(i)).forEach(name -> out.put(name, outcome));
    }
    return out;
  }

  /// Phase two, under the pod's lock: creates and starts each container still missing whose image is
  /// ready; returns whether some container still waits. `strict` throws the first failure (after every
  /// task has finished); otherwise a failed container waits with CreateContainerError and its message,
  /// is removed again if it was created, and is tried afresh after its back-off.
  boolean createReady(PodManifest pod, String uid, String sandboxId, Path podDir, Map<String, ImageOutcome> images,
      boolean strict) {
    Map<String, Waiting> waiting = new LinkedHashMap<>();
    List<ContainerConfig> ready = new ArrayList<>();
    for (ContainerSpec c : missing(pod, sandboxId)) {
      Optional<Waiting> failed = failedCreate(uid, c.name());
      if (failed.isPresent()) {
        waiting.put(c.name(), failed.get());
        continue;
      }
      switch (images.getOrDefault(c.name(), new Waiting("ContainerCreating", ""))) {
        case ImageOutcome.Ready r -> ready.add(config(pod, c, pod.containers().indexOf(c), podDir));
        case Waiting w -> waiting.put(c.name(), w);
      }
    }
    if (strict) {
      List<String> ids = Parallel.run(ready.stream()
          .<Callable<String>>map(cfg -> () -> runtime.createContainer(sandboxId, cfg)).toList());
      Parallel.run(ids.stream().<Callable<String>>map(id -> () -> {
        runtime.startContainer(id);
        return id;
      }).toList());
    } else {
      List<Optional<String>> failures = Parallel.run(ready.stream()
          .<Callable<Optional<String>>>map(cfg -> () -> createAndStart(sandboxId, cfg)).toList());
      for (int i = 0; i < ready.size(); i++) {
        String key = uid + "/" + ready.get(i).name();
        Optional<String> failure = failures.get(i);
        if (failure.isPresent()) {
          waiting.put(ready.get(i).name(), new Waiting(CREATE_ERROR, failure.get()));
          createBackOff.failed(key);
        } else {
          createBackOff.reset(key);
        }
      }
    }
    waits.set(uid, waiting);
    return !waiting.isEmpty();
  }

  /// Why the container waits, if it is a failed creation still in its back-off: then neither its image
  /// nor its creation is tried this sync.
  private Optional<Waiting> failedCreate(String uid, String container) {
    return waits.of(uid, container).filter(w -> w.reason().equals(CREATE_ERROR))
        .filter(w -> createBackOff.active(uid + "/" + container));
  }

  /// Creates and starts one container; returns the failure's message, having removed what was made.
  private Optional<String> createAndStart(String sandboxId, ContainerConfig cfg) {
    String id = null;
    try {
      id = runtime.createContainer(sandboxId, cfg);
      runtime.startContainer(id);
      return Optional.empty();
    } catch (PeapodException e) {
      if (id != null) {
        try {
          runtime.removeContainer(id);
        } catch (PeapodException undo) {
          LOG.log(Logger.Level.WARNING, "removing failed container " + id + " failed too", undo);
        }
      }
      return Optional.of(e.getMessage());
    }
  }

  /// Drops what is kept of a deleted pod's containers.
  void forget(String uid) {
    waits.forget(uid);
    createBackOff.forget(uid + "/");
  }

  /// The spec's containers the sandbox does not hold, in spec order.
  private List<ContainerSpec> missing(PodManifest pod, String sandboxId) {
    Set<String> existing = runtime.listContainers(Optional.of(sandboxId)).stream().map(ContainerStatus::name)
        .collect(Collectors.toSet());
    return pod.containers().stream().filter(c -> !existing.contains(c.name())).toList();
  }

  /// Kubelet pulls without a pull secret it cannot find, and says so; the pull error alone would hide it.
  private static ImageOutcome withMissingSecrets(ImageOutcome outcome, PullCredentials credentials) {
    return outcome instanceof Waiting w && w.reason().equals("ErrImagePull") && !credentials.missing().isEmpty()
        ? new Waiting(w.reason(), w.message() + " (image pull secrets not found: "
            + String.join(", ", credentials.missing()) + ")")
        : outcome;
  }

  private ContainerConfig config(PodManifest pod, ContainerSpec c, int index, Path podDir) {
    Path podVolumes = podDir.resolve("volumes");
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMount("/etc/hosts", podDir.resolve("etc-hosts").toString(), false));
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
}
