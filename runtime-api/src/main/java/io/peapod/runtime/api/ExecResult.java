package io.peapod.runtime.api;

import java.nio.charset.StandardCharsets;

/// What [RuntimeService#execSync] collected. Output is capped (the tail beyond the cap is dropped).
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {
  public String output() {
    return new String(stdout, StandardCharsets.UTF_8) + new String(stderr, StandardCharsets.UTF_8);
  }
}
