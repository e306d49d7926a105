package io.peapod.kubelet.pod;

import java.util.List;

/// What `apply` did, one line per object (`pod/web created`), the objects themselves (so a caller can
/// wait for the pods), and the warnings to show the user.
public record ApplyResult(List<String> results, List<Applied> objects, List<String> warnings) {
  public ApplyResult {
    results = List.copyOf(results);
    objects = List.copyOf(objects);
    warnings = List.copyOf(warnings);
  }

  /// One object and what happened to it (`created`, `unchanged`, `configured`, `deleted`, `not found`).
  public record Applied(String kind, String namespace, String name, String action) {}
}
