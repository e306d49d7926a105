package io.peapod.base.api.v1;

import java.util.List;

/// The warnings of a deletion (what a forced delete could not clean up); the deleted object's own fields
/// come beside them.
public record Deleted(List<String> warnings) {
  public Deleted {
    warnings = List.copyOf(warnings);
  }
}
