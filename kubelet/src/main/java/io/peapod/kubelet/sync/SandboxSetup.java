package io.peapod.kubelet.sync;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.error.PeapodException;
import io.peapod.kubelet.event.EventRecorder;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.podspec.PodDns;
import io.peapod.kubelet.podspec.RuntimeConfigs;
import io.peapod.kubelet.status.PodWaits;
import io.peapod.kubelet.status.Waiting;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.lang.System.Logger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/// What a pod's containers stand on: its sandbox (made with back-off, as kubelet's
/// `FailedCreatePodSandBox`), and its volumes, set up with the sandbox, set up again before containers
/// start (so a daemon killed half-way finishes them), and rewritten while the pod runs.
final class SandboxSetup {
  private static final Logger LOG = System.getLogger(SandboxSetup.class.getName());
  private final RuntimeService runtime;
  private final RuntimeConfigs configs;
  private final VolumeManager volumes;
  private final BackOff backOff;
  private final PodWaits waits;
  private final EventRecorder events;
  private final InstantSource clock;
  private final Path nodeHosts;

  SandboxSetup(RuntimeService runtime, RuntimeConfigs configs, VolumeManager volumes, BackOff backOff, PodWaits waits,
      EventRecorder events, InstantSource clock, Path nodeHosts) {
    this.runtime = runtime;
    this.configs = configs;
    this.volumes = volumes;
    this.backOff = backOff;
    this.waits = waits;
    this.events = events;
    this.clock = clock;
    this.nodeHosts = nodeHosts;
  }

  /// Makes the pod's sandbox and volumes; returns when to try again if that failed or its back-off lasts.
  Optional<Instant> create(SyncContext ctx, int attempt) {
    String uid = ctx.uid();
    String key = uid + "/sandbox";
    if (backOff.active(key)) {
      return Optional.of(clock.instant().plusSeconds(1));
    }
    try {
      String id = runtime.runPodSandbox(configs.sandbox(ctx.spec(), uid, attempt));
      SandboxStatus s = runtime.podSandboxStatus(id);
      volumes.setUp(ctx.spec(), uid, PodDns.hosts(ctx.spec(), s.ip(), nodeHosts));
      backOff.reset(key);
      waits.setSandbox(uid, Optional.empty());
      return Optional.empty();
    } catch (PeapodException e) {
      Duration wait = backOff.failed(key);
      String message = "Failed to create pod sandbox: " + e.getMessage();
      LOG.log(Logger.Level.WARNING, "pod {0}/{1}: {2}; trying again in {3} s", ctx.pod().namespace(),
          ctx.pod().name(), message, wait.toSeconds());
      events.warning(ctx.ref(), "FailedCreatePodSandBox", message);
      waits.setSandbox(uid, Optional.of(new Waiting("ContainerCreating", message)));
      return Optional.of(clock.instant().plus(wait));
    }
  }

  /// Sets the pod's volumes up again before containers start; returns when to try again if that failed.
  Optional<Instant> prepareVolumes(SyncContext ctx, String podIp) {
    try {
      volumes.setUp(ctx.spec(), ctx.uid(), PodDns.hosts(ctx.spec(), podIp, nodeHosts));
      return Optional.empty();
    } catch (PeapodException e) {
      events.warning(ctx.ref(), "FailedMount", "MountVolume.SetUp failed: " + e.getMessage());
      return Optional.of(clock.instant().plus(backOff.initial()));
    }
  }

  /// ConfigMaps, Secrets and the pod's metadata may have changed since its volumes were written; a
  /// volume that cannot be written now keeps what it had, as kubelet's does.
  void refreshVolumes(SyncContext ctx, PodRuntimeState state) {
    if (state.running().isEmpty()) {
      return;
    }
    try {
      volumes.writeVolumes(ctx.spec(), ctx.uid()).forEach(v -> LOG.log(Logger.Level.INFO,
          "pod {0}/{1}: volume {2} updated", ctx.pod().namespace(), ctx.pod().name(), v));
    } catch (PeapodException e) {
      events.warning(ctx.ref(), "FailedMount", "MountVolume.SetUp failed: " + e.getMessage());
    }
  }

  void forget(String podUid) {
    backOff.forget(podUid + "/");
  }
}
