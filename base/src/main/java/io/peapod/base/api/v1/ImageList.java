package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

public record ImageList(@KeepEmpty List<Image> items) {
  public ImageList {
    items = List.copyOf(items);
  }
}
