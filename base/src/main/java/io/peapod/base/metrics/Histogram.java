package io.peapod.base.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/// A Prometheus histogram with one label (or none): cumulative bucket counts, the sum and the count,
/// per label value. Observing takes no lock, so any thread may report; the series stay as many as
/// the label's values (operation names), never one per pod.
public final class Histogram {
  private final String name;
  private final String help;
  private final String label;
  private final double[] bounds;
  private final Map<String, Series> series = new ConcurrentSkipListMap<>();

  /// `label` empty for a histogram without one; `bounds` the buckets' upper bounds, ascending.
  public Histogram(String name, String help, String label, double... bounds) {
    this.name = name;
    this.help = help;
    this.label = label;
    this.bounds = bounds.clone();
    Arrays.sort(this.bounds);
  }

  private final class Series {
    final LongAdder[] counts = new LongAdder[bounds.length];
    final LongAdder count = new LongAdder();
    final DoubleAdder sum = new DoubleAdder();

    Series() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double v) {
      for (int i = 0; i < bounds.length; i++) {
        if (v <= bounds[i]) {
          counts[i].increment();
        }
      }
      count.increment();
      sum.add(v);
    }
  }

  public void observe(double value) {
    observe("", value);
  }

  public void observe(String labelValue, double value) {
    series.computeIfAbsent(labelValue, k -> new Series()).observe(value);
  }

  /// As [Timings] see it: seconds, by operation.
  public Timings timings() {
    return (operation, took) -> observe(operation, took.toNanos() / 1e9);
  }

  /// The `# HELP`, `# TYPE` and sample lines in Prometheus' text format.
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    series.forEach((value, s) -> {
      String own = label.isEmpty() ? "" : label + "=\"" + escape(value) + "\"";
      for (int i = 0; i < bounds.length; i++) {
        out.append(name).append("_bucket{").append(own).append(own.isEmpty() ? "" : ",").append("le=\"")
            .append(number(bounds[i])).append("\"} ").append(s.counts[i].sum()).append('\n');
      }
      out.append(name).append("_bucket{").append(own).append(own.isEmpty() ? "" : ",").append("le=\"+Inf\"} ")
          .append(s.count.sum()).append('\n');
      String braces = own.isEmpty() ? "" : "{" + own + "}";
      out.append(name).append("_sum").append(braces).append(' ').append(number(s.sum.sum())).append('\n');
      out.append(name).append("_count").append(braces).append(' ').append(s.count.sum()).append('\n');
    });
    return out.toString();
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
  }

  /// A label value as the text format writes it.
  public static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
