package io.peapod.controllers.loop;

import io.peapod.controllers.object.Workload;
import java.time.Duration;
import java.util.Optional;

/// One kind's controller: compares what the workload asks for with the pods (or ReplicaSets) that
/// exist, acts to close the gap, and records the status. It keeps no state of its own between syncs,
/// so a daemon that restarts finds every workload where it left it.
public interface Controller {
  /// Syncs one workload; returns when it wants to be looked at again (a back-off's or deadline's end)
  /// if nothing else changes before.
  Optional<Duration> sync(Workload w);
}
