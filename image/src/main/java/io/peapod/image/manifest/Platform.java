package io.peapod.image.manifest;

import java.util.Locale;

/// The os/architecture/variant triple an index entry is built for.
public record Platform(String os, String architecture, String variant) {
  /// This node's platform, in GOARCH terms as registries use them.
  public static Platform current() {
    String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case String other -> other;
    };
    return new Platform("linux", arch, "");
  }

  public boolean matches(Platform wanted) {
    return os.equals(wanted.os) && architecture.equals(wanted.architecture)
        && (wanted.variant.isEmpty() || variant.isEmpty() || variant.equals(wanted.variant));
  }
}
