package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

public record WorkloadList(@KeepEmpty List<Workload> items) {
  public WorkloadList {
    items = List.copyOf(items);
  }
}
