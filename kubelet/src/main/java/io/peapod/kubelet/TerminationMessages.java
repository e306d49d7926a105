package io.peapod.kubelet;

import io.peapod.kubelet.logs.ContainerLogReader;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.status.PodStatusBuilder;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.ContainerStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/// An ended container's message, as kubelet finds it: what it wrote to its termination message file
/// (at most 4096 bytes); under `FallbackToLogsOnError`, when that is empty and it failed, the end of its
/// log (the last 80 lines, at most 2048 bytes).
final class TerminationMessages implements PodStatusBuilder.TerminationMessages {
  private static final int LOG_LINES = 80;
  private static final int LOG_BYTES = 2048;
  private final VolumeManager volumes;

  TerminationMessages(VolumeManager volumes) {
    this.volumes = volumes;
  }

  @Override
  public String of(String podUid, ContainerSpec spec, ContainerStatus instance) {
    String message = volumes.terminationMessage(podUid, spec.name(), instance.attempt());
    if (!message.isEmpty() || !spec.terminationMessagePolicy().equals("FallbackToLogsOnError")
        || instance.exitCode() == 0 || instance.logPath().isEmpty()) {
      return message;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ContainerLogReader.write(Path.of(instance.logPath()), new ContainerLogReader.Options(LOG_LINES,
          Optional.empty(), false, false), () -> false, out);
    } catch (IOException | RuntimeException e) {
      return "";
    }
    byte[] b = out.toByteArray();
    int from = Math.max(0, b.length - LOG_BYTES);
    return new String(b, from, b.length - from, StandardCharsets.UTF_8).strip();
  }
}
