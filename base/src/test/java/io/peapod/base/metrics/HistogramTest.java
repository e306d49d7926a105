package io.peapod.base.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void render_cumulativeBucketsSumAndCount_perLabelValue() {
    Histogram h = new Histogram("x_seconds", "How long x took.", "operation_type", 0.1, 1);
    h.timings().observe("add", Duration.ofMillis(50));
    h.timings().observe("add", Duration.ofMillis(500));
    h.timings().observe("del", Duration.ofSeconds(2));
    assertEquals("""
        # HELP x_seconds How long x took.
        # TYPE x_seconds histogram
        x_seconds_bucket{operation_type="add",le="0.1"} 1
        x_seconds_bucket{operation_type="add",le="1"} 2
        x_seconds_bucket{operation_type="add",le="+Inf"} 2
        x_seconds_sum{operation_type="add"} 0.55
        x_seconds_count{operation_type="add"} 2
        x_seconds_bucket{operation_type="del",le="0.1"} 0
        x_seconds_bucket{operation_type="del",le="1"} 0
        x_seconds_bucket{operation_type="del",le="+Inf"} 1
        x_seconds_sum{operation_type="del"} 2
        x_seconds_count{operation_type="del"} 1
        """, h.render());
  }

  @Test
  void render_withoutLabel() {
    Histogram h = new Histogram("y", "Y.", "", 1);
    h.observe(0.5);
    assertEquals("# HELP y Y.\n# TYPE y histogram\ny_bucket{le=\"1\"} 1\ny_bucket{le=\"+Inf\"} 1\ny_sum 0.5\n"
        + "y_count 1\n", h.render());
  }
}
