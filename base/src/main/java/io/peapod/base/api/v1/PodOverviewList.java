package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

public record PodOverviewList(@KeepEmpty List<PodOverview> items) {
  public PodOverviewList {
    items = List.copyOf(items);
  }
}
