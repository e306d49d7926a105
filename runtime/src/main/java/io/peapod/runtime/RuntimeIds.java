package io.peapod.runtime;

import java.security.SecureRandom;
import java.util.HexFormat;

/// Sandbox and container ids: 64 random hex digits, as containerd's, so they never repeat across
/// restarts and leak nothing about order.
public final class RuntimeIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RuntimeIds() {}

  public static String newId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /// conmon names its attach socket after this; a short name keeps the path under 108 bytes.
  public static String shortId(String id) {
    return id.substring(0, 16);
  }
}
