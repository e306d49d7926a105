package io.peapod.runtime.monitor;

import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// The OCI runtime's own log (`--log-format=json`), which a monitor points at `<bundle>/runtime.log`.
final class RuntimeLog {
  private RuntimeLog() {}

  /// The `error`-level messages the OCI runtime logged, which say why create failed.
  static String errors(Path runtimeLog) {
    StringBuilder sb = new StringBuilder();
    try {
      if (Files.exists(runtimeLog)) {
        for (String l : Files.readAllLines(runtimeLog)) {
          JsonNode n = Json.parseNode(l);
          if ("error".equals(n.get("level").text(""))) {
            sb.append(n.get("msg").text("")).append("; ");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "(runtime log unreadable: " + e.getMessage() + ")";
    }
    return sb.toString().trim();
  }
}
