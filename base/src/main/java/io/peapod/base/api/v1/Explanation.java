package io.peapod.base.api.v1;

import java.util.List;

/// `explain`: a field's kind and type, and the fields below it, each marked whether peapod acts on it.
public record Explanation(String kind, String path, String type, List<Field> fields) {
  public record Field(String name, String type, boolean actedOn) {}
}
