package io.peapod.base.api.v1;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// An image in the store: its name, content ids, size, and with `inspect` its config.
public record Image(String name, String repository, String tag, String id, String digest, long size, Instant created,
    Optional<Config> config) {
  public record Config(String architecture, String os, String user, List<String> env, List<String> entrypoint,
      List<String> cmd, String workingDir, Map<String, String> labels, List<String> layers) {}
}
