package io.peapod.base.metrics;

import java.time.Duration;

/// Where a layer reports how long one of its operations took (a CNI ADD, a runtime call, a pod's
/// start). The daemon keeps them as histograms; tests and tools that do not measure pass [#NONE].
@FunctionalInterface
public interface Timings {
  Timings NONE = (operation, took) -> { };

  void observe(String operation, Duration took);
}
