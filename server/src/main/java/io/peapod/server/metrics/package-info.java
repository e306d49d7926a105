/// The daemon's own measurements for `/metrics`: how long runtime calls, CNI operations, image pulls and
/// pod starts take, kept as histograms ([io.peapod.server.metrics.NodeMetrics]).
package io.peapod.server.metrics;
