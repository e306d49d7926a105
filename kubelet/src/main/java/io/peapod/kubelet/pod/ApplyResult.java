package io.peapod.kubelet.pod;

import java.util.List;

/// What `apply` did, one line per object (`pod/web created`), and the warnings to show the user.
public record ApplyResult(List<String> results, List<String> warnings) {
  public ApplyResult {
    results = List.copyOf(results);
    warnings = List.copyOf(warnings);
  }
}
