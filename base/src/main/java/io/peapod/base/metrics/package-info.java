/// Measuring the node's work: [io.peapod.base.metrics.Timings] is how a layer reports how long a call took,
/// [io.peapod.base.metrics.Histogram] keeps such observations in buckets for Prometheus' text format.
package io.peapod.base.metrics;
