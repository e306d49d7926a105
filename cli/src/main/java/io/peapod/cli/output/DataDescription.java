package io.peapod.cli.output;

import io.peapod.base.api.v1.DataDetail;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/// `describe secret|configmap NAME` as kubectl prints them: a Secret's keys and their sizes (never the
/// values), a ConfigMap's keys and values.
public final class DataDescription {
  private DataDescription() {}

  public static void print(PrintStream out, DataDetail o) {
    out.printf("%-13s%s%n", "Name:", o.metadata().name());
    out.printf("%-13s%s%n", "Namespace:", o.metadata().namespace());
    out.println();
    if (o.kind().equals("Secret")) {
      out.printf("Type:  %s%n%nData%n====%n", o.type().orElse(""));
      sizes(out, o.dataSizes());
      return;
    }
    out.println("Data\n====");
    new TreeMap<>(o.data()).forEach((k, v) -> out.printf("%s:%n----%n%s%n%n", k, v));
    out.println("BinaryData\n====");
    sizes(out, o.binaryDataSizes());
  }

  private static void sizes(PrintStream out, Map<String, Long> sizes) {
    new TreeMap<>(sizes).forEach((k, v) -> out.printf("%s:  %s bytes%n", k, v));
  }
}
