package io.peapod.runtime.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/// What CreateContainer needs. `command` and `args` are the pod spec's; the runtime merges them with
/// the image's Entrypoint and Cmd by Kubernetes' rules. `logPath` is relative to the sandbox's log
/// directory (`<container>/<attempt>.log`). `env` keeps the pod spec's order. `pidTarget` is the id of
/// a running container of the same sandbox whose PID namespace this one joins (CRI's NamespaceMode
/// TARGET, for an ephemeral container's `targetContainerName`); empty, the sandbox's mode holds.
/// `devices` are host device nodes the container gets besides the default set.
public record ContainerConfig(String name, int attempt, String image, List<String> command, List<String> args,
    String workingDir, List<Map.Entry<String, String>> env, List<VolumeMount> mounts, String logPath,
    Resources resources, SecurityContext security, Map<String, String> labels, Map<String, String> annotations,
    ContainerStdio stdio, Optional<String> pidTarget, List<DeviceMapping> devices) {
  public ContainerConfig {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    devices = List.copyOf(devices);
  }
}
