package io.peapod.runtime.network;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Runs one CNI plugin binary the way the CNI spec says: the command and the container in `CNI_*`
/// environment variables, the plugin's network config on stdin, a result or an error as JSON on stdout.
public final class CniExec {
  private final List<Path> binDirs;

  public CniExec(List<Path> binDirs) {
    this.binDirs = List.copyOf(binDirs);
  }

  /// One invocation: ADD, DEL or CHECK for a container, with `CNI_ARGS` as `K=V;K=V`.
  public record Invocation(String command, String containerId, String netns, String ifName, String args) {}

  public Path find(String type) {
    return binDirs.stream().map(d -> d.resolve(type)).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new FailedPreconditionException("CNI plugin '" + type + "' not found in " + binDirs
            + "; install containernetworking-plugins or set --cni-bin-dir"));
  }

  /// Runs the plugin; returns its stdout as JSON (empty for a DEL), or throws with the plugin's own message.
  public Optional<JsonNode> run(String type, Invocation inv, Map<String, Object> config) {
    Path plugin = find(type);
    ProcessBuilder pb = new ProcessBuilder(plugin.toString());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("CNI_COMMAND", inv.command());
    env.put("CNI_CONTAINERID", inv.containerId());
    env.put("CNI_NETNS", inv.netns());
    env.put("CNI_IFNAME", inv.ifName());
    env.put("CNI_ARGS", inv.args());
    env.put("CNI_PATH", String.join(":", binDirs.stream().map(Path::toString).toList()));
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pb.redirectErrorStream(false);
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(Json.write(config).getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        String msg = out.isBlank() ? err.trim() : describeError(out);
        throw new FailedPreconditionException("CNI plugin " + type + " " + inv.command() + " failed: " + msg);
      }
      return out.isBlank() ? Optional.empty() : Optional.of(Json.parseNode(out));
    } catch (IOException e) {
      throw new InternalException("run CNI plugin " + plugin + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted running CNI plugin " + type, e);
    }
  }

  private static String describeError(String out) {
    try {
      JsonNode e = Json.parseNode(out);
      String details = e.get("details").text("");
      return e.get("msg").text(out.trim()) + (details.isEmpty() ? "" : " (" + details + ")");
    } catch (RuntimeException notJson) {
      return out.trim();
    }
  }
}
