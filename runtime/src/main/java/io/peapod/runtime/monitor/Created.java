package io.peapod.runtime.monitor;

/// What a monitor's `create` came to: a container with its host pid, or the OCI runtime's reason for
/// refusing it (a command that does not exist, a mount that cannot be made).
public sealed interface Created {
  record Running(int pid) implements Created {}

  record Refused(String reason) implements Created {}
}
