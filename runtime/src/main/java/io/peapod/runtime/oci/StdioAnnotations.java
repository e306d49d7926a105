package io.peapod.runtime.oci;

import io.peapod.base.json.JsonNode;
import io.peapod.runtime.api.ContainerStdio;
import java.util.Map;

/// A container's [ContainerStdio] as annotations of its `config.json`, so that attach finds how the
/// container was made in its bundle, beside the terminal flag the OCI runtime itself reads.
public final class StdioAnnotations {
  static final String STDIN = "io.peapod.stdin";
  static final String STDIN_ONCE = "io.peapod.stdin-once";
  static final String TTY = "io.peapod.tty";

  private StdioAnnotations() {}

  static Map<String, String> of(ContainerStdio s) {
    return Map.of(STDIN, String.valueOf(s.stdin()), STDIN_ONCE, String.valueOf(s.stdinOnce()), TTY,
        String.valueOf(s.tty()));
  }

  /// Read back from a parsed `config.json`; a spec without them (the pause container's) has none.
  public static ContainerStdio read(JsonNode spec) {
    JsonNode a = spec.get("annotations");
    return new ContainerStdio(a.get(STDIN).text("false").equals("true"), a.get(STDIN_ONCE).text("false").equals("true"),
        a.get(TTY).text("false").equals("true"));
  }
}
