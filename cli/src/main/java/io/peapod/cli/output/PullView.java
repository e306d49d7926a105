package io.peapod.cli.output;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/// Shows a pull's progress: on a terminal one bar per layer, redrawn in place; elsewhere one plain line
/// whenever a layer's status changes.
public final class PullView {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;
  private final Map<String, String> lines = new LinkedHashMap<>();
  private final Map<String, String> lastStatus = new LinkedHashMap<>();
  private int drawn;

  public PullView(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  public void update(String layer, String status, long current, long total) {
    if (!terminal) {
      if (!status.equals(lastStatus.put(layer, status))) {
        out.println(layer + ": " + status + (total > 0 && !status.equals("downloading") ? " (" + human(total) + ")" : ""));
      }
      return;
    }
    lines.put(layer, String.format("%-14s %-12s %s", layer, status.length() > 12 ? status.substring(0, 12) : status,
        bar(current, total)));
    if (drawn > 0) {
      out.print("\033[" + drawn + "A");
    }
    for (String l : lines.values()) {
      out.print("\r\033[2K" + l + "\n");
    }
    drawn = lines.size();
    out.flush();
  }

  private static String bar(long current, long total) {
    if (total <= 0) {
      return human(current);
    }
    int filled = (int) Math.min(WIDTH, WIDTH * current / total);
    return "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + human(current) + "/" + human(total);
  }

  static String human(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format("%.1fKiB", bytes / 1024.0);
    }
    return String.format("%.1fMiB", bytes / 1048576.0);
  }
}
