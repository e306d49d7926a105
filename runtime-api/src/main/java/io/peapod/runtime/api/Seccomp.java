package io.peapod.runtime.api;

import java.nio.file.Path;

/// A container's seccomp profile (CRI's SecurityProfile): none, the runtime's default, or a profile
/// file on the node (already resolved by the caller to an absolute path).
public sealed interface Seccomp {
  record Unconfined() implements Seccomp {}

  record RuntimeDefault() implements Seccomp {}

  record Localhost(Path profile) implements Seccomp {}
}
