package io.peapod.cli.output;

import io.peapod.base.json.JsonNode;
import java.io.PrintStream;
import java.util.Map;

/// `describe secret|configmap NAME` as kubectl prints them: a Secret's keys and their sizes (never the
/// values), a ConfigMap's keys and values.
public final class DataDescription {
  private DataDescription() {}

  public static void print(PrintStream out, JsonNode o) {
    JsonNode m = o.get("metadata");
    out.printf("%-13s%s%n", "Name:", m.get("name").text(""));
    out.printf("%-13s%s%n", "Namespace:", m.get("namespace").text(""));
    out.println();
    if (o.get("kind").text("").equals("Secret")) {
      out.printf("Type:  %s%n%nData%n====%n", o.get("type").text(""));
      sizes(out, o.get("dataSizes"));
      return;
    }
    out.println("Data\n====");
    if (o.get("data").raw() instanceof Map<?, ?> data) {
      data.forEach((k, v) -> out.printf("%s:%n----%n%s%n%n", k, v));
    }
    out.println("BinaryData\n====");
    sizes(out, o.get("binaryDataSizes"));
  }

  private static void sizes(PrintStream out, JsonNode sizes) {
    if (sizes.raw() instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.printf("%s:  %s bytes%n", k, v));
    }
  }
}
