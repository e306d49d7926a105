package io.peapod.kubelet;

import io.peapod.image.registry.RegistryConfig.Credentials;
import io.peapod.kubelet.image.ImageSource;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.probe.GrpcHealthClient;
import io.peapod.kubelet.probe.ProbeOutcome;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.podspec.NodeSecurity;
import io.peapod.state.Database;
import io.peapod.testing.FakeRuntime;
import io.peapod.testing.ManualClock;
import io.peapod.testing.RecordingSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A kubelet on fakes, for the lifecycle's unit tests: the runtime in memory ([FakeRuntime]), a clock
/// that moves only when the test says ([ManualClock], also the timers), every task run on the calling
/// thread, and SQLite in a temporary directory. Everything a sync does happens before a call returns,
/// so tests read state right after acting.
final class KubeletHarness implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final FakeRuntime runtime = new FakeRuntime(clock);
  final RecordingSyscalls sys = new RecordingSyscalls();
  final List<String> grpcChecks = new ArrayList<>();
  final Database db;
  Kubelet kubelet;
  final Path dir;
  private final ImageSource images;
  private final GrpcHealthClient grpc;

  KubeletHarness(Path dir) throws IOException {
    this.dir = dir;
    Files.writeString(dir.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
    db = Database.open(dir.resolve("peapod.db"));
    images = new ImageSource() {
      @Override
      public boolean present(String reference) {
        return true;
      }

      @Override
      public void pull(String reference, Map<String, Credentials> credentials) { }

      @Override
      public String user(String reference) {
        return "";
      }
    };
    grpc = (host, port, service, timeout) -> {
      grpcChecks.add(host + ":" + port + "/" + service);
      return ProbeOutcome.OK;
    };
    kubelet = newKubelet();
  }

  private Kubelet newKubelet() {
    Kubelet k = new Kubelet(new KubeletConfig(dir.resolve("pods"), dir.resolve("logs"), Duration.ofSeconds(10),
        KubeletConfig.MAX_BACK_OFF,
        1L << 33, "node", Optional.of(dir.resolve("manifests")), dir.resolve("resolv.conf"), dir.resolve("hosts"),
        () -> "192.0.2.1", new NodeSecurity(false, dir.resolve("seccomp"), List.of(), Optional.empty())),
        runtime, images, new DataStore(db), db, sys, grpc, clock, clock, Runnable::run);
    k.start();
    return k;
  }

  /// The daemon stops and starts again: a new kubelet on the same database and runtime.
  void restart() {
    kubelet.close();
    kubelet = newKubelet();
  }

  void apply(String yaml) {
    kubelet.apply(yaml, "test.yaml");
  }

  PodView pod(String name) {
    return kubelet.get("default", name);
  }

  PodView.ContainerView container(String pod, String name) {
    PodView p = pod(pod);
    List<PodView.ContainerView> all = new ArrayList<>(p.initContainers());
    all.addAll(p.containers());
    return all.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  /// Moves time forward one second at a time (so that syncs due on the way run in order).
  void advanceSeconds(int seconds) {
    for (int i = 0; i < seconds; i++) {
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Override
  public void close() {
    kubelet.close();
    db.close();
  }
}
