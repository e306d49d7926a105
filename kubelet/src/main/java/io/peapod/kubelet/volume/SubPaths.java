package io.peapod.kubelet.volume;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.podspec.Environment;
import java.util.List;
import java.util.Map;

/// `subPathExpr` as kubelet expands it: `$(VAR)` from the container's environment, and the result
/// checked again like a subPath (relative, no `..`), so a variable cannot lead out of the volume.
final class SubPaths {
  private SubPaths() {}

  static String expand(String expr, Map<String, String> env) {
    String path = Environment.expand(expr, env);
    if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
      throw new InvalidArgumentException("subPathExpr '" + expr + "' does not expand to a relative path without"
          + " '..'");
    }
    return path;
  }
}
