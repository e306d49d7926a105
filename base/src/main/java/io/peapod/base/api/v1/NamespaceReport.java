package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

/// Each namespace of each process of a pod (pause first): its inode as /proc shows it and who holds it,
/// the process itself, another process of the pod, or the host; and the pod's netns pin.
public record NamespaceReport(String pod, String netnsPin, @KeepEmpty List<Row> rows) {
  public NamespaceReport {
    rows = List.copyOf(rows);
  }

  public record Row(String process, int pid, String type, long inode, String holder) {}
}
