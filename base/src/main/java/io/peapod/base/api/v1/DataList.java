package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

public record DataList(@KeepEmpty List<DataSummary> items) {
  public DataList {
    items = List.copyOf(items);
  }
}
