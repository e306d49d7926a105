package io.peapod.kubelet.pod;

import io.peapod.base.error.InternalException;
import io.peapod.kubelet.image.ImageManager;
import io.peapod.kubelet.image.ImageOutcome;
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

/// One sync of a pod's containers: for each container of the spec the sandbox does not hold yet, make
/// sure of its image (pulling as its policy says), then create and start all whose image is ready, in
/// parallel. Containers whose image is not ready are left waiting, with the reason, for the next sync.
final class ContainerSync {
  /// A container's position in the pod spec: containers start in parallel, so creation order is not it.
  static final String INDEX_LABEL = "peapod.io/container-index";

  private final RuntimeService runtime;
  private final ImageManager images;
  private final SecretStore secrets;
  private final WaitingContainers waits;
  private final long nodeMemoryBytes;

  ContainerSync(RuntimeService runtime, ImageManager images, SecretStore secrets, WaitingContainers waits,
      long nodeMemoryBytes) {
    this.runtime = runtime;
    this.images = images;
    this.secrets = secrets;
    this.waits = waits;
    this.nodeMemoryBytes = nodeMemoryBytes;
  }

  /// Creates and starts what it can; returns whether some container still waits. A failure other than
  /// an image not being ready is thrown (after every started task has finished).
  boolean sync(PodManifest pod, String uid, String sandboxId, Path podDir) {
    Set<String> existing = runtime.listContainers(Optional.of(sandboxId)).stream().map(ContainerStatus::name)
        .collect(Collectors.toSet());
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < pod.containers().size(); i++) {
      if (!existing.contains(pod.containers().get(i).name())) {
        missing.add(i);
      }
    }
    if (missing.isEmpty()) {
      waits.forget(uid);
      return false;
    }
    PullCredentials credentials = secrets.pullCredentials(pod.namespace(), pod.imagePullSecrets());
    List<ImageOutcome> outcomes = Parallel.run(missing.stream().<Callable<ImageOutcome>>map(i -> () -> {
      ContainerSpec c = pod.containers().get(i);
      return images.ensure(uid + "/" + c.name(), c.image(), PullPolicy.of(c.imagePullPolicy()), credentials.byHost());
    }).toList());
    Map<String, ImageOutcome.Waiting> waiting = new LinkedHashMap<>();
    List<ContainerConfig> ready = new ArrayList<>();
    for (int k = 0; k < missing.size(); k++) {
      ContainerSpec c = pod.containers().get(missing.get(k));
      switch (outcomes.get(k)) {
        case ImageOutcome.Ready r -> ready.add(config(pod, c, missing.get(k), podDir));
        case ImageOutcome.Waiting w -> waiting.put(c.name(), withMissingSecrets(w, credentials));
      }
    }
    waits.set(uid, waiting);
    List<String> ids = Parallel.run(ready.stream()
        .<Callable<String>>map(cfg -> () -> runtime.createContainer(sandboxId, cfg)).toList());
    Parallel.run(ids.stream().<Callable<String>>map(id -> () -> {
      runtime.startContainer(id);
      return id;
    }).toList());
    return !waiting.isEmpty();
  }

  /// Kubelet pulls without a pull secret it cannot find, and says so; the pull error alone would hide it.
  private static ImageOutcome.Waiting withMissingSecrets(ImageOutcome.Waiting w, PullCredentials credentials) {
    return credentials.missing().isEmpty() || !w.reason().equals("ErrImagePull") ? w
        : new ImageOutcome.Waiting(w.reason(), w.message() + " (image pull secrets not found: "
            + String.join(", ", credentials.missing()) + ")");
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
