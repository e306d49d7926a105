package io.peapod.kubelet.sync;

import io.peapod.base.error.InternalException;
import io.peapod.base.io.FileTrees;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.podspec.RuntimeConfigs;
import io.peapod.kubelet.probe.ProbeManager;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/// A pod's end on the node: its deletion (every container stopped within the grace asked for, then its
/// sandboxes, volumes, logs and record), and what a pod whose record is already gone left behind.
final class PodRemoval {
  private static final Logger LOG = System.getLogger(PodRemoval.class.getName());
  private final PodStore store;
  private final RuntimeService runtime;
  private final PodTerminator terminator;
  private final ProbeManager probes;
  private final VolumeManager volumes;
  private final RuntimeConfigs configs;
  private final PodChanges changes;
  /// Drops what the syncer's parts keep of a pod (back-offs, probes, waits).
  private final Consumer<String> forget;
  /// Stores and tells the pod's status, as the syncer does (a deleted pod is seen terminating first).
  private final BiConsumer<SyncContext, PodRuntimeState> publish;
  private PodWorkers workers;

  PodRemoval(PodStore store, RuntimeService runtime, PodTerminator terminator, ProbeManager probes,
      VolumeManager volumes, RuntimeConfigs configs, PodChanges changes, Consumer<String> forget,
      BiConsumer<SyncContext, PodRuntimeState> publish) {
    this.store = store;
    this.runtime = runtime;
    this.terminator = terminator;
    this.probes = probes;
    this.volumes = volumes;
    this.configs = configs;
    this.changes = changes;
    this.forget = forget;
    this.publish = publish;
  }

  void workers(PodWorkers workers) {
    this.workers = workers;
  }

  /// Deletion. A forced deletion goes on past what fails and says what it left.
  void terminate(SyncContext ctx, PodRuntimeState state) {
    String uid = ctx.uid();
    boolean force = ctx.pod().forceDeletion();
    List<String> left = new ArrayList<>();
    probes.stopPod(uid);
    publish.accept(ctx, state);
    step(force, left, "stop containers", () -> terminator.killPod(ctx.ref(), ctx.spec(), state,
        Duration.ofSeconds(ctx.pod().deletionGraceSeconds())));
    for (SandboxStatus s : runtime.listPodSandboxes(Optional.of(uid))) {
      step(force, left, "remove sandbox " + s.id().substring(0, 12), () -> runtime.removePodSandbox(s.id()));
    }
    step(force, left, "remove volumes", () -> volumes.tearDown(uid));
    step(force, left, "remove logs", () -> deleteTree(configs.logDirectory(ctx.spec(), uid)));
    forget.accept(uid);
    store.delete(uid);
    changes.deleted(uid, left);
    workers.forget(uid);
    if (left.isEmpty()) {
      LOG.log(Logger.Level.INFO, "pod {0}/{1} deleted", ctx.pod().namespace(), ctx.pod().name());
    } else {
      LOG.log(Logger.Level.WARNING, "pod {0}/{1} deleted by force; not cleaned up: {2}", ctx.pod().namespace(),
          ctx.pod().name(), left);
    }
  }

  private static void step(boolean force, List<String> left, String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      if (!force) {
        throw e;
      }
      left.add(what + ": " + e.getMessage());
    }
  }

  /// Runtime objects of a pod whose record is gone (a crash between the record's deletion and theirs,
  /// or a pod deleted while its sandbox was being made): removed, with its files.
  void removeOrphan(String uid) {
    for (SandboxStatus s : runtime.listPodSandboxes(Optional.of(uid))) {
      if (s.config().labels().containsKey(RuntimeConfigs.MANAGED_BY)) {
        LOG.log(Logger.Level.INFO, "removing sandbox {0} of deleted pod {1}/{2}", s.id().substring(0, 12),
            s.config().namespace(), s.config().name());
        runtime.removePodSandbox(s.id());
        deleteTree(Path.of(s.config().logDirectory()));
      }
    }
    volumes.tearDown(uid);
    forget.accept(uid);
    changes.deleted(uid, List.of());
    workers.forget(uid);
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new InternalException("remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
