package io.peapod.runtime.monitor;

import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// What the monitors and the OCI runtime they run leave in the bundle for the daemon's errors: the
/// runtime's own log (`--log-format=json`, `<bundle>/runtime.log`) and the monitors' output files.
final class RuntimeLog {
  private RuntimeLog() {}

  /// A file's text, trimmed, for an error message; empty when it is not there.
  static String text(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file).trim() : "";
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

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
