package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

public record UsageList(@KeepEmpty List<PodUsage> items) {
  public UsageList {
    items = List.copyOf(items);
  }
}
