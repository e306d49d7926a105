package io.peapod.runtime.api;

import io.peapod.base.error.PeapodException;
import java.util.Optional;

/// What [RuntimeService#runContainer] came to: the container made, and the error its start met, if any
/// (the create succeeded, so the container exists, as a failed [RuntimeService#startContainer] leaves it).
public record ContainerRun(String id, Optional<PeapodException> startError) {
  public static ContainerRun made(String id) {
    return new ContainerRun(id, Optional.empty());
  }
}
