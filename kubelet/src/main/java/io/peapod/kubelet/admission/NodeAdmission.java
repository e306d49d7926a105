package io.peapod.kubelet.admission;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import io.peapod.kubelet.manifest.VolumeSource;
import io.peapod.kubelet.podspec.SecurityContexts;
import java.nio.file.Files;
import java.nio.file.Path;

/// What this node checks before it accepts a pod (or a workload's template): that its hostPath volumes
/// exist here (unless their type makes them), and that its node-level security settings (sysctls,
/// `hostUsers`) are allowed here.
public final class NodeAdmission {
  private final SecurityContexts security;

  public NodeAdmission(SecurityContexts security) {
    this.security = security;
  }

  public void check(PodManifest pod, String source) {
    for (VolumeSpec v : pod.volumes()) {
      if (v.source() instanceof VolumeSource.HostPath h && !h.type().endsWith("OrCreate")
          && !Files.exists(Path.of(h.path()))) {
        throw new InvalidArgumentException(source + ": pod " + pod.name() + ": hostPath volume '" + v.name()
            + "' names " + h.path() + ", which does not exist on this node");
      }
    }
    security.admit(pod, source + ": pod " + pod.name());
  }
}
