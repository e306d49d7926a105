package io.peapod.runtime.oci;

import io.peapod.sys.Namespace;
import java.nio.file.Path;
import java.util.Optional;

/// One namespace in a container's spec: a new one (no path) or an existing one joined by path.
/// A namespace type absent from the spec means the host's.
public record NamespaceJoin(Namespace type, Optional<Path> path) {
  public static NamespaceJoin fresh(Namespace type) {
    return new NamespaceJoin(type, Optional.empty());
  }

  public static NamespaceJoin join(Namespace type, Path path) {
    return new NamespaceJoin(type, Optional.of(path));
  }
}
