package io.peapod.kubelet.sync;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.error.PeapodException;
import io.peapod.kubelet.event.EventRecorder;
import io.peapod.kubelet.event.EventRecorder.PodRef;
import io.peapod.kubelet.image.ImageManager;
import io.peapod.kubelet.image.ImageOutcome;
import io.peapod.kubelet.image.PullPolicy;
import io.peapod.kubelet.lifecycle.HookRunner;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.podspec.Environment;
import io.peapod.kubelet.podspec.RuntimeConfigs;
import io.peapod.kubelet.podspec.SecurityContexts;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.sys.FileKind;
import io.peapod.sys.PathHandle;
import io.peapod.sys.Syscalls;
import io.peapod.kubelet.probe.Prober;
import io.peapod.kubelet.restart.CrashLoopBackOff;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.data.DataStore.PullCredentials;
import io.peapod.kubelet.status.PodWaits;
import io.peapod.kubelet.status.Waiting;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.ContainerRun;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.api.VolumeMount;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/// Starts one container instance as kubelet's `startContainer` does: its image (by pull policy; a pull
/// runs in the background and the container waits), its mounts (paths resolved safely), CreateContainer,
/// StartContainer, then the postStart hook (a failure kills it). A failure to create is
/// `CreateContainerError` and is tried again after a back-off; a bad mount is
/// `CreateContainerConfigError`. Each step is an event, as kubelet records them.
final class ContainerStarter {
  /// postStart hooks have no limit in kubelet; one that never ends would hold the pod's sync for ever.
  private static final Duration POST_START_LIMIT = Duration.ofMinutes(2);
  private static final String CREATE_ERROR = "CreateContainerError";
  /// The reason a runtime gives a container whose process could not be set up.
  private static final String CANNOT_RUN = "ContainerCannotRun";

  private final RuntimeService runtime;
  private final ImageManager images;
  private final DataStore secrets;
  private final VolumeManager volumes;
  private final RuntimeConfigs configs;
  private final HookRunner hooks;
  private final CrashLoopBackOff crashLoop;
  private final BackOff createBackOff;
  private final EventRecorder events;
  private final Consumer<String> signal;
  private final InstantSource clock;
  /// The last failure to create each container (`<pod uid>/<name>`), shown while its back-off lasts.
  private final Map<String, Waiting> createErrors = new ConcurrentHashMap<>();
  private final Environment environment;
  private final Syscalls sys;
  private final String nodeName;
  private final java.util.function.Supplier<String> nodeIp;
  private final PodWaits waits;

  ContainerStarter(RuntimeService runtime, ImageManager images, DataStore secrets, VolumeManager volumes,
      RuntimeConfigs configs, HookRunner hooks, CrashLoopBackOff crashLoop, BackOff createBackOff,
      EventRecorder events, Consumer<String> signal, InstantSource clock, Environment environment, Syscalls sys,
      String nodeName, java.util.function.Supplier<String> nodeIp, PodWaits waits) {
    this.waits = waits;
    this.environment = environment;
    this.sys = sys;
    this.nodeName = nodeName;
    this.nodeIp = nodeIp;
    this.runtime = runtime;
    this.images = images;
    this.secrets = secrets;
    this.volumes = volumes;
    this.configs = configs;
    this.hooks = hooks;
    this.crashLoop = crashLoop;
    this.createBackOff = createBackOff;
    this.events = events;
    this.signal = signal;
    this.clock = clock;
  }

  /// Why a container does not run yet, and when trying again makes sense (the end of a back-off).
  record Wait(Waiting waiting, Optional<Instant> retryAt) {
    static Wait of(Waiting w) {
      return new Wait(w, Optional.empty());
    }
  }

  /// Starts `c` as instance `attempt`; returns why it waits if it does not run now. `restartOf` is when
  /// the instance it replaces finished, for the restart back-off; `pidTarget` the running container
  /// whose process namespace an ephemeral container joins.
  Optional<Wait> start(SyncContext ctx, SandboxStatus sandbox, ContainerSpec c, int attempt,
      Optional<Instant> restartOf, Optional<String> pidTarget) {
    String key = ctx.uid() + "/" + c.name();
    Waiting lastError = createErrors.get(key);
    if (lastError != null && createBackOff.active(key)) {
      return Optional.of(new Wait(lastError, createBackOff.until(key)));
    }
    Optional<Waiting> image = image(ctx, c);
    if (image.isPresent()) {
      // Right after a failed pull the next sync says ImagePullBackOff, as kubelet's does; then the
      // back-off's end brings the next try.
      Optional<Instant> retry = switch (image.get().reason()) {
        case "ErrImagePull" -> Optional.of(clock.instant());
        // The image may be imported or pulled by hand; look again after a while, as kubelet requeues.
        case "ErrImageNeverPull", "ContainerCreating" -> Optional.of(clock.instant().plus(createBackOff.initial()));
        default -> images.retryAt(ctx.uid(), c.image());
      };
      return Optional.of(new Wait(image.get(), retry));
    }
    List<VolumeMount> mounts;
    Environment.Resolved env;
    try {
      env = environment.resolve(ctx.spec(), c, new Environment.PodFields(ctx.uid(), nodeName, sandbox.ip(),
          nodeIp.get()));
      env.warnings().forEach(w -> events.warning(ctx.ref(), "InvalidEnvironmentVariableNames", w));
      SecurityContexts.runAsNonRootViolation(ctx.spec(), c, images.imageUser(c.image())).ifPresent(v -> {
        throw new InvalidArgumentException(v);
      });
      configs.security().localhostProfile(ctx.spec(), c).ifPresent(this::checkProfile);
      volumes.writeVolumes(ctx.spec(), ctx.uid());
      mounts = volumes.mounts(ctx.spec(), ctx.uid(), c, attempt, env.asMap());
    } catch (PeapodException e) {
      events.warning(ctx.ref(), "Failed", "Error: " + e.getMessage());
      createBackOff.failed(key);
      Waiting w = new Waiting("CreateContainerConfigError", e.getMessage());
      createErrors.put(key, w);
      return Optional.of(new Wait(w, createBackOff.until(key)));
    }
    ContainerRun run;
    // Before the run: its process may end, and have its exit recorded, before the run returns.
    waits.made(ctx.uid(), c.name());
    try {
      // Created and started in one call: the runtime does both with one OCI runtime process where it can.
      run = runtime.runContainer(sandbox.id(), configs.container(ctx.spec(), ctx.uid(), c, attempt, mounts, env,
          pidTarget));
    } catch (PeapodException e) {
      createBackOff.failed(key);
      Waiting w = new Waiting(CREATE_ERROR, e.getMessage());
      createErrors.put(key, w);
      events.warning(ctx.ref(), "Failed", "Error: " + e.getMessage());
      return Optional.of(new Wait(w, createBackOff.until(key)));
    } finally {
      volumes.releaseStaging(ctx.uid(), c.name(), attempt);
    }
    createBackOff.reset(key);
    createErrors.remove(key);
    restartOf.ifPresent(finished -> crashLoop.restarting(ctx.uid(), c.name(), finished));
    ContainerStatus made = runtime.containerStatus(run.id());
    if (run.startError().isEmpty() && made.reason().equals(CANNOT_RUN)) {
      // The OCI runtime refused the process (a command that does not exist): no Created event, as kubelet's.
      events.warning(ctx.ref(), "Failed", "Error: " + made.message());
      return Optional.empty();
    }
    events.normal(ctx.ref(), "Created", "Created container " + c.name());
    if (run.startError().isPresent()) {
      // kubelet's RunContainerError, retried after the same back-off as a failed create.
      String message = run.startError().get().getMessage();
      events.warning(ctx.ref(), "Failed", "Error: " + message);
      createBackOff.failed(key);
      Waiting w = new Waiting("RunContainerError", message);
      createErrors.put(key, w);
      return Optional.of(new Wait(w, createBackOff.until(key)));
    }
    events.normal(ctx.ref(), "Started", "Started container " + c.name());
    c.lifecycle().postStart().ifPresent(hook -> postStart(ctx, sandbox, c, run.id(), hook));
    return Optional.empty();
  }

  private void postStart(SyncContext ctx, SandboxStatus sandbox, ContainerSpec c, String id,
      io.peapod.kubelet.manifest.Handler hook) {
    Optional<String> failure = hooks.run(hook, new Prober.Target(id, sandbox.ip(), c), POST_START_LIMIT);
    if (failure.isPresent()) {
      events.warning(ctx.ref(), "FailedPostStartHook", "PostStartHook failed: " + failure.get());
      events.normal(ctx.ref(), "Killing", "FailedPostStartHook");
      runtime.stopContainer(id, Duration.ofSeconds(ctx.pod().graceSeconds()));
    }
  }

  private Optional<Waiting> image(SyncContext ctx, ContainerSpec c) {
    PullCredentials credentials = secrets.pullCredentials(ctx.spec().namespace(), ctx.spec().imagePullSecrets());
    PodRef ref = ctx.ref();
    ImageManager.Listener listener = new ImageManager.Listener() {
      @Override
      public void pulling(String image) {
        events.normal(ref, "Pulling", "Pulling image \"" + image + "\"");
      }

      @Override
      public void pulled(String image, Duration took) {
        events.normal(ref, "Pulled", "Successfully pulled image \"" + image + "\" in " + took.toMillis() + "ms");
      }

      @Override
      public void failed(String image, String message) {
        events.warning(ref, "Failed", message);
        events.warning(ref, "Failed", "Error: ErrImagePull");
      }

      @Override
      public void alreadyPresent(String image) {
        events.normal(ref, "Pulled", "Container image \"" + image + "\" already present on machine");
      }
    };
    ImageOutcome outcome = images.ensure(ctx.uid(), c.image(), PullPolicy.of(c.imagePullPolicy()),
        credentials.byHost(), listener, () -> signal.accept(ctx.uid()));
    return switch (outcome) {
      case ImageOutcome.Ready r -> Optional.empty();
      case ImageOutcome.Waiting w -> {
        if (w.reason().equals("ImagePullBackOff")) {
          events.normal(ref, "BackOff", w.message());
        }
        boolean pullFailed = w.reason().equals("ErrImagePull") || w.reason().equals("ImagePullBackOff");
        String message = pullFailed && !credentials.missing().isEmpty()
            ? w.message() + " (image pull secrets not found: " + String.join(", ", credentials.missing()) + ")"
            : w.message();
        yield Optional.of(new Waiting(w.reason(), message));
      }
    };
  }

  /// A `Localhost` seccomp profile must be a regular file beneath the profile root, reached without
  /// following a link out of it.
  private void checkProfile(java.nio.file.Path profile) {
    java.nio.file.Path root = configs.security().profileRoot();
    try (PathHandle top = sys.openPath(root); PathHandle file = sys.openBeneath(top, root.relativize(profile)
        .toString())) {
      if (file.kind() != FileKind.REGULAR) {
        throw new InvalidArgumentException("seccomp profile " + profile + " is not a regular file");
      }
    } catch (io.peapod.base.error.NotFoundException e) {
      throw new InvalidArgumentException("seccomp profile " + profile + " not found: put it in " + root, e);
    }
  }

  void forget(String podUid) {
    createBackOff.forget(podUid + "/");
    createErrors.keySet().removeIf(k -> k.startsWith(podUid + "/"));
  }
}
