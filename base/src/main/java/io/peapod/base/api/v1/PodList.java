package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

/// `items` of a pod list, oldest first.
public record PodList(@KeepEmpty List<Pod> items) {
  public PodList {
    items = List.copyOf(items);
  }
}
