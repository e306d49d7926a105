package io.peapod.kubelet.volume;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.io.FileTrees;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeMountSpec;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import io.peapod.kubelet.manifest.VolumeSource;
import io.peapod.kubelet.podspec.PodResources;
import io.peapod.runtime.api.VolumeMount;
import io.peapod.sys.MountFlags;
import io.peapod.sys.Syscalls;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A pod's volumes on the node, under `<pods>/<uid>/`:
///
/// ```
/// volumes/<name>/                    an emptyDir (mode 0777; a tmpfs for `medium: Memory`), or the
///                                    files of a configMap, secret, downwardAPI or projected volume
///                                    ([AtomicWriter]'s layout; a tmpfs when it holds a secret, which
///                                    never touches the disk)
/// etc-hosts                          the pod's /etc/hosts (0644)
/// termination/<container>-<attempt> each container instance's termination message file (0666)
/// volume-subpaths/<container>-<attempt>/<n>   staging bind mounts, while a container is created
/// ```
///
/// A path a manifest names inside a volume (a `subPath`), and a hostPath itself, is staged by
/// [SubPathStager]: resolved without following symlinks out and bind-mounted from its descriptor, so a
/// container that swaps a symlink into the path after the check cannot redirect the mount, as kubelet's
/// fix for its subPath CVEs guarantees. A path that escapes is an [InvalidArgumentException], never a
/// mount. Staging mounts live only while the OCI runtime creates the container (its mount namespace
/// keeps its own).
public final class VolumeManager {
  private static final Logger LOG = System.getLogger(VolumeManager.class.getName());
  private final Syscalls sys;
  private final Path podsRoot;
  private final VolumeFiles files;
  private final long nodeMemoryBytes;
  private final KeyedLock<String> writing = new KeyedLock<>();
  private final SubPathStager stager;

  public VolumeManager(Syscalls sys, Path podsRoot, VolumeFiles files, long nodeMemoryBytes) {
    this.sys = sys;
    this.podsRoot = podsRoot;
    this.files = files;
    this.nodeMemoryBytes = nodeMemoryBytes;
    this.stager = new SubPathStager(sys);
  }

  public Path podDir(String uid) {
    return podsRoot.resolve(uid);
  }

  /// Makes the pod's directory, its emptyDir volumes (tmpfs ones mounted), the tmpfs of volumes that
  /// hold secrets, and its /etc/hosts; what exists is kept, so this is run again before containers start
  /// (a daemon killed half-way through it finishes it then). Written volumes get their files when a
  /// container first needs them.
  public void setUp(PodManifest pod, String uid, String hosts) {
    Path dir = podDir(uid);
    try {
      Files.createDirectories(dir.resolve("volumes"));
      Files.createDirectories(dir.resolve("termination"));
      for (VolumeSpec v : pod.volumes()) {
        Path d = dir.resolve("volumes").resolve(v.name());
        switch (v.source()) {
          case VolumeSource.EmptyDir e -> {
            Files.createDirectories(d);
            if (e.memory()) {
              tmpfs(d, "mode=1777,size=" + memorySize(pod, e));
            }
            // kubelet's emptyDir mode: anyone in the pod may write, and delete what others wrote.
            Files.setAttribute(d, "unix:mode", pod.security().fsGroup().isPresent() ? 02777 : 0777);
            if (pod.security().fsGroup().isPresent()) {
              Files.setAttribute(d, "unix:gid", pod.security().fsGroup().get().intValue());
            }
          }
          case VolumeSource.HostPath h -> { }
          default -> {
            Files.createDirectories(d);
            if (v.source().holdsSecrets()) {
              tmpfs(d, "mode=0755");
            }
            Files.setAttribute(d, "unix:mode", 0755);
          }
        }
      }
      Path etcHosts = dir.resolve("etc-hosts");
      Files.writeString(etcHosts, hosts);
      Files.setAttribute(etcHosts, "unix:mode", 0644);
    } catch (IOException e) {
      throw new InternalException("set up volumes of pod " + pod.name() + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void tmpfs(Path dir, String options) {
    if (!isMountPoint(dir)) {
      sys.mount("tmpfs", dir, "tmpfs", MountFlags.NOSUID | MountFlags.NODEV, options);
    }
  }

  private static boolean isMountPoint(Path dir) {
    return ProcFs.HOST.mountPoints("self").contains(dir.toString());
  }

  /// A memory emptyDir's size as kubelet sizes it: its sizeLimit, else the pod's memory limit, else the
  /// node's memory.
  private long memorySize(PodManifest pod, VolumeSource.EmptyDir e) {
    if (e.sizeLimitBytes() > 0) {
      return e.sizeLimitBytes();
    }
    long podLimit = PodResources.pod(pod).memoryLimitBytes();
    return podLimit > 0 ? podLimit : nodeMemoryBytes;
  }

  /// Writes (or rewrites, when a ConfigMap, Secret or the pod's metadata changed) the pod's configMap,
  /// secret, downwardAPI and projected volumes; returns the names of the volumes that changed. A
  /// missing object that is not optional fails with its name.
  public List<String> writeVolumes(PodManifest pod, String uid) {
    // Containers of a pod start side by side; one writer per pod keeps the `..data` swaps in order.
    return writing.withLock(uid, () -> write(pod, uid));
  }

  private List<String> write(PodManifest pod, String uid) {
    List<String> changed = new ArrayList<>();
    for (VolumeSpec v : pod.volumes()) {
      if (v.source().isWritten()) {
        Path d = podDir(uid).resolve("volumes").resolve(v.name());
        if (v.source().holdsSecrets() && !isMountPoint(d)) {
          throw new InternalException("volume \"" + v.name() + "\" holds a secret and its tmpfs is not mounted at " + d
              + "; the pod's volumes are set up again before its containers start");
        }
        Map<String, VolumeFiles.File> now;
        try {
          now = files.of(pod, uid, v.source());
        } catch (PeapodException e) {
          if (AtomicWriter.written(d)) {
            // As kubelet: an object deleted or broken after the volume was written leaves its files as they were.
            LOG.log(Logger.Level.WARNING, "volume {0} of pod {1}/{2} keeps its files: {3}", v.name(),
                pod.namespace(), pod.name(), e.getMessage());
            continue;
          }
          throw new InvalidArgumentException("volume \"" + v.name() + "\": " + e.getMessage(), e);
        }
        if (AtomicWriter.write(d, now, pod.security().fsGroup())) {
          changed.add(v.name());
        }
      }
    }
    return changed;
  }

  /// kubelet's eviction check of local storage: the first disk emptyDir whose contents exceed its
  /// `sizeLimit`, as the message of the pod's eviction.
  public Optional<String> overLimit(PodManifest pod, String uid) {
    for (VolumeSpec v : pod.volumes()) {
      if (v.source() instanceof VolumeSource.EmptyDir e && !e.memory() && e.sizeLimitBytes() > 0) {
        long used = DiskUsage.of(podDir(uid).resolve("volumes").resolve(v.name()));
        if (used > e.sizeLimitBytes()) {
          return Optional.of("Usage of EmptyDir volume \"" + v.name() + "\" exceeds the limit \""
              + e.sizeLimitBytes() + "\" (" + used + " bytes used).");
        }
      }
    }
    return Optional.empty();
  }

  /// Whether the pod has volumes whose use must be checked now and then.
  public static boolean hasDiskLimits(PodManifest pod) {
    return pod.volumes().stream().anyMatch(v -> v.source() instanceof VolumeSource.EmptyDir e && !e.memory()
        && e.sizeLimitBytes() > 0);
  }

  /// The mounts of one container instance, the pod's /etc/hosts and termination message file first. Mounts
  /// that needed staging are mounted when this returns; [#releaseStaging] unmounts them. `env` expands
  /// `subPathExpr`s.
  public List<VolumeMount> mounts(PodManifest pod, String uid, ContainerSpec c, int attempt, Map<String, String> env) {
    Path dir = podDir(uid);
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMount("/etc/hosts", dir.resolve("etc-hosts").toString(), false));
    mounts.add(new VolumeMount(c.terminationMessagePath(), terminationFile(uid, c.name(), attempt).toString(), false));
    String instance = c.name() + "-" + attempt;
    int n = 0;
    for (VolumeMountSpec m : c.volumeMounts()) {
      VolumeSpec v = pod.volumes().stream().filter(x -> x.name().equals(m.name())).findFirst().orElseThrow();
      // As kubelet mounts them: what the kubelet writes, containers only read.
      boolean readOnly = m.readOnly() || v.source().isWritten();
      VolumeMount.Propagation propagation = switch (m.propagation()) {
        case "HostToContainer" -> VolumeMount.Propagation.HOST_TO_CONTAINER;
        case "Bidirectional" -> VolumeMount.Propagation.BIDIRECTIONAL;
        default -> VolumeMount.Propagation.PRIVATE;
      };
      // A subPathExpr is named as written: its expansion may hold a secret's value.
      String shown = m.expand() ? "subPathExpr '" + m.subPath() + "'" : "subPath '" + m.subPath() + "'";
      try {
        String subPath = m.expand() ? SubPaths.expand(m.subPath(), env) : m.subPath();
        if (!(v.source() instanceof VolumeSource.HostPath) && subPath.isEmpty()) {
          mounts.add(new VolumeMount(m.mountPath(), dir.resolve("volumes").resolve(v.name()).toString(), readOnly,
              propagation));
          continue;
        }
        Path root = switch (v.source()) {
          case VolumeSource.HostPath h -> {
            HostPathTypes.check(sys, Path.of(h.path()), h.type(), v.name());
            yield Path.of(h.path());
          }
          // The files of a written volume are reached through its `..data` link, which points inside it.
          case VolumeSource s when s.isWritten() -> AtomicWriter.dataDir(dir.resolve("volumes").resolve(v.name()));
          default -> dir.resolve("volumes").resolve(v.name());
        };
        Path instanceDir = dir.resolve("volume-subpaths").resolve(instance);
        Path target = instanceDir.resolve(String.valueOf(n++));
        stager.stage(root, subPath, instanceDir, target);
        mounts.add(new VolumeMount(m.mountPath(), target.toString(), readOnly, propagation));
      } catch (PeapodException e) {
        releaseStaging(uid, c.name(), attempt);
        throw new InvalidArgumentException("failed to prepare " + (m.subPath().isEmpty() ? "hostPath volume" : shown
            + " of volume") + " '" + v.name() + "' for container " + c.name() + ": " + e.getMessage(), e);
      }
    }
    return mounts;
  }

  /// Unmounts the staging mounts of one container instance (its mount namespace keeps its own).
  public void releaseStaging(String uid, String container, int attempt) {
    Path instance = podDir(uid).resolve("volume-subpaths").resolve(container + "-" + attempt);
    stager.release(instance);
    if (Files.isDirectory(instance)) {
      delete(instance);
    }
  }

  /// The termination message file of one container instance, made (mode 0666, as kubelet makes it, so
  /// any user in the container can write it) if missing.
  public Path terminationFile(String uid, String container, int attempt) {
    Path f = podDir(uid).resolve("termination").resolve(container + "-" + attempt);
    try {
      if (!Files.exists(f)) {
        Files.createDirectories(f.getParent());
        Files.createFile(f);
        Files.setAttribute(f, "unix:mode", 0666);
      }
      return f;
    } catch (IOException e) {
      throw new InternalException("make termination message file " + f + ": " + e.getMessage(), e);
    }
  }

  /// The first 4096 bytes of what the container wrote to its termination message file.
  public String terminationMessage(String uid, String container, int attempt) {
    Path f = podDir(uid).resolve("termination").resolve(container + "-" + attempt);
    try (var in = Files.newInputStream(f)) {
      return new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  public void forgetInstance(String uid, String container, int attempt) {
    releaseStaging(uid, container, attempt);
    try {
      Files.deleteIfExists(podDir(uid).resolve("termination").resolve(container + "-" + attempt));
    } catch (IOException e) {
      throw new InternalException("remove termination message file: " + e.getMessage(), e);
    }
  }

  /// Unmounts whatever staging mount is left under the pod and deletes its directory.
  public void tearDown(String uid) {
    Path dir = podDir(uid);
    stager.forgetUnder(dir);
    for (String m : ProcFs.HOST.mountPoints("self")) {
      if (m.startsWith(dir + "/")) {
        sys.umountIfMounted(Path.of(m));
      }
    }
    delete(dir);
  }

  /// At start: staging mounts are transient, so any left by a crash are unmounted.
  public void releaseAllStaging() {
    for (String m : ProcFs.HOST.mountPoints("self")) {
      if (m.startsWith(podsRoot + "/") && m.contains("/volume-subpaths/")) {
        sys.umountIfMounted(Path.of(m));
      }
    }
  }

  /// The pod directories on disk (to find those no pod owns after a crash).
  public List<String> podUids() {
    if (!Files.isDirectory(podsRoot)) {
      return List.of();
    }
    try (var s = Files.list(podsRoot)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new InternalException("list " + podsRoot + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path p) {
    try {
      FileTrees.delete(p);
    } catch (IOException e) {
      throw new InternalException("remove " + p + ": " + e.getMessage(), e);
    }
  }
}
