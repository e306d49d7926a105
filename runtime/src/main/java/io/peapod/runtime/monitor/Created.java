package io.peapod.runtime.monitor;

import java.time.Instant;
import java.util.Optional;

/// What a monitor's `create` came to: a container with its host pid (and, when the monitor ran it at
/// once, the time just before it asked the OCI runtime to), or the OCI runtime's reason for refusing it (a
/// command that does not exist, a mount that cannot be made).
public sealed interface Created {
  record Running(int pid, Optional<Instant> startedAt) implements Created {
    public static Running created(int pid) {
      return new Running(pid, Optional.empty());
    }
  }

  record Refused(String reason) implements Created {}
}
