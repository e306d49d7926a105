package io.peapod.controllers;

import io.peapod.base.labels.LabelSelector;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadParser;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.state.Database;
import io.peapod.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The controllers on a [FakePods] store, SQLite in a temporary directory and a [ManualClock] (also the
/// timers): every queued sync runs on the calling thread when the test calls [#settle].
final class ControllerHarness implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final FakePods pods = new FakePods(clock);
  final Database db;
  Controllers controllers;
  final List<String> warnings = new ArrayList<>();

  ControllerHarness(Path dir) {
    db = Database.open(dir.resolve("peapod.db"));
    controllers = newControllers();
  }

  private Controllers newControllers() {
    Controllers c = new Controllers(pods, db, clock, clock, Duration.ofSeconds(10), Duration.ofSeconds(30));
    c.watchPods();
    return c;
  }

  /// The daemon restarts: new controllers on the same database and pods.
  void restart() {
    controllers.close();
    controllers = newControllers();
    controllers.resyncNow();
    settle();
  }

  String apply(String yaml) {
    Map<String, Object> obj = new ManifestParser().documents(yaml, "test.yaml").getFirst();
    Kind kind = Kind.ofKindName((String) obj.get("kind")).orElseThrow();
    String result = controllers.apply(new WorkloadParser().parse(kind, obj, "test.yaml", warnings), false);
    settle();
    return result;
  }

  /// Runs queued syncs until none is left.
  void settle() {
    controllers.drain();
  }

  /// Moves the clock, runs the timers that came due, and settles.
  void advance(Duration d) {
    clock.advance(d);
    clock.runDue();
    settle();
  }

  Workload get(Kind kind, String name) {
    return controllers.get(kind, "default", name);
  }

  List<PodInfo> podsOf(Kind kind, String name) {
    return controllers.podsOf(get(kind, name));
  }

  List<PodInfo> allPods() {
    return pods.list(Optional.empty());
  }

  List<Workload> all(Kind kind) {
    return controllers.list(Optional.of(kind), Optional.empty(), LabelSelector.EVERYTHING);
  }

  @Override
  public void close() {
    controllers.close();
    db.close();
  }
}
