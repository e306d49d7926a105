package io.peapod.base.api.v1;

import java.util.List;

/// What `apply` and `delete -f` did: kubectl's lines (`pod/web created`), warnings about fields peapod
/// does not act on, and each object touched (`action`: created, configured, unchanged, deleted).
public record ApplyAnswer(List<String> results, List<String> warnings, List<Applied> objects) {
  public ApplyAnswer {
    results = List.copyOf(results);
    warnings = List.copyOf(warnings);
    objects = List.copyOf(objects);
  }

  public record Applied(String kind, String namespace, String name, String action) {}
}
