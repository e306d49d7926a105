package io.peapod.cri.stream;

import java.util.List;

/// A stream a CRI caller asked for, already checked against the runtime (the container runs, the
/// sandbox is ready), waiting for its caller to connect.
public sealed interface StreamRequest {
  /// A command to start in a container, with the streams the caller wants.
  record Exec(String containerId, List<String> command, boolean tty, boolean stdin, boolean stdout, boolean stderr)
      implements StreamRequest {
    public Exec {
      command = List.copyOf(command);
    }
  }

  /// A running container's own streams.
  record Attach(String containerId, boolean tty, boolean stdin, boolean stdout, boolean stderr)
      implements StreamRequest {}

  /// Ports inside a sandbox's network namespace; empty means the caller names them when it connects.
  record PortForward(String sandboxId, List<Integer> ports) implements StreamRequest {
    public PortForward {
      ports = List.copyOf(ports);
    }
  }
}
