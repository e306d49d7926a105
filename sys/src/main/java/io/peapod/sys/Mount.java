package io.peapod.sys;

import java.nio.file.Path;
import java.util.List;

/// One mount(2) call described as data: components compute mounts, one place applies them.
/// `options` are the comma-separated data string's parts (for overlay: lowerdir=..., upperdir=...).
public record Mount(String type, String source, Path target, List<String> options) {
  public Mount {
    options = List.copyOf(options);
  }

  public String data() {
    return String.join(",", options);
  }
}
