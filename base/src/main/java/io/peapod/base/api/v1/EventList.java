package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

public record EventList(@KeepEmpty List<Event> items) {
  public EventList {
    items = List.copyOf(items);
  }
}
