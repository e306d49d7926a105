package io.peapod.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/// Columns padded to the widest cell plus three spaces, as kubectl prints them.
public final class Table {
  private final List<String[]> rows = new ArrayList<>();

  public Table(String... header) {
    rows.add(header);
  }

  public Table row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = String.valueOf(cells[i]);
    }
    rows.add(r);
    return this;
  }

  public void print(PrintStream out) {
    print(out, true);
  }

  /// Prints the rows, and the header row only when `header` (kubectl's `--no-headers` leaves it out).
  public void print(PrintStream out, boolean header) {
    int cols = rows.getFirst().length;
    int[] width = new int[cols];
    List<String[]> printed = header ? rows : rows.subList(1, rows.size());
    for (String[] r : printed) {
      for (int i = 0; i < cols && i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : printed) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(r[i]);
        if (i < r.length - 1) {
          sb.repeat(' ', width[i] - r[i].length() + 3);
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
