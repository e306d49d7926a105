package io.peapod.cri.mapping;

import io.peapod.base.error.InvalidArgumentException;
import java.util.List;

/// Checks on the names and paths a CRI caller sends.
final class Names {
  private Names() {}

  static void require(String value, String field) {
    if (value.isEmpty()) {
      throw new InvalidArgumentException(field + " is empty; it is required");
    }
  }

  static boolean hasDotDot(String path) {
    return List.of(path.split("/")).contains("..");
  }

  /// A path relative to a directory the runtime owns: not absolute, no `..`, not empty.
  static String relative(String path, String field) {
    if (path.isEmpty() || path.startsWith("/") || hasDotDot(path)) {
      throw new InvalidArgumentException(field + " '" + path + "' must be a relative path without '..'");
    }
    return path;
  }
}
