package io.peapod.image.manifest;

import io.peapod.image.ref.Digest;
import java.util.List;
import java.util.Map;

/// The parts of an OCI image config a runtime uses: the process defaults and the layer diff ids.
/// `user` is the raw `User` field (`name`, `uid`, `uid:gid`); empty means root.
public record ImageConfig(String architecture, String os, String user, List<String> env, List<String> entrypoint,
    List<String> cmd, String workingDir, Map<String, String> labels, String stopSignal, List<Digest> diffIds,
    String created) {
  public ImageConfig {
    env = List.copyOf(env);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    labels = Map.copyOf(labels);
    diffIds = List.copyOf(diffIds);
  }
}
