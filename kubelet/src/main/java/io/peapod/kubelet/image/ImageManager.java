package io.peapod.kubelet.image;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.error.PeapodException;
import io.peapod.image.registry.RegistryConfig.Credentials;
import java.lang.System.Logger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/// Decides, for one container about to be created, whether its image must be pulled (kubelet's
/// EnsureImageExists): Never uses only the store, IfNotPresent pulls when it is missing, Always asks the
/// registry each time a container is created. Pulls run in the background, so a pod's sync never waits
/// on a registry: while one runs the container waits (`ContainerCreating`, "pulling image"), and
/// `onDone` is called when it ends. Two pods needing one image share one pull. A failed pull is
/// `ErrImagePull` with the registry's reason; until its back-off (per pod and image, as kubelet's) ends,
/// the container waits with `ImagePullBackOff`.
public final class ImageManager {
  private static final Logger LOG = System.getLogger(ImageManager.class.getName());

  /// What happened to a pull made for a pod, not yet told to it.
  private sealed interface Result {
    record Pulled(Duration took) implements Result {}

    record Failed(String message) implements Result {}
  }

  /// Hears of pulls as kubelet reports them (events `Pulling`, `Pulled`, `Failed`).
  public interface Listener {
    void pulling(String image);

    void pulled(String image, Duration took);

    void failed(String image, String message);

    void alreadyPresent(String image);

    Listener NONE = new Listener() {
      @Override
      public void pulling(String image) { }

      @Override
      public void pulled(String image, Duration took) { }

      @Override
      public void failed(String image, String message) { }

      @Override
      public void alreadyPresent(String image) { }
    };
  }

  private final ImageSource images;
  private final BackOff backOff;
  private final Executor executor;
  /// Pulls under way, by image and credentials.
  private final Map<String, CompletableFuture<Optional<String>>> inFlight = new ConcurrentHashMap<>();
  /// Pods waiting for a pull, and the outcomes they have not been told yet, by `<pod uid>/<image>`.
  private final Map<String, Boolean> waiting = new ConcurrentHashMap<>();
  private final Map<String, Result> results = new ConcurrentHashMap<>();
  /// The last failed pull's message by `<pod uid>/<image>`, which the back-off repeats (as kubelet 1.31+).
  private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

  public ImageManager(ImageSource images, BackOff backOff, Executor executor) {
    this.images = images;
    this.backOff = backOff;
    this.executor = executor;
  }

  /// The user an image runs as (its config's `User`), for the `runAsNonRoot` check.
  public String imageUser(String image) {
    return images.user(image);
  }

  /// @param podUid the pod whose container needs the image: the back-off is per pod and image, as
  ///     kubelet's (`<pod uid>_<image>`), so the pod's containers of one image share it
  public ImageOutcome ensure(String podUid, String image, PullPolicy policy, Map<String, Credentials> credentials,
      Listener listener, Runnable onDone) {
    String key = podUid + "/" + image;
    boolean present = images.present(image);
    if (policy == PullPolicy.NEVER || (policy == PullPolicy.IF_NOT_PRESENT && present && !results.containsKey(key))) {
      if (present) {
        listener.alreadyPresent(image);
        return new ImageOutcome.Ready(image);
      }
      return new ImageOutcome.Waiting("ErrImageNeverPull", "Container image \"" + image + "\" is not present with"
          + " pull policy of Never; import or pull it (peapod image pull " + image + ")");
    }
    Optional<ImageOutcome> told = tell(key, image, listener);
    if (told.isPresent()) {
      return told.get();
    }
    if (backOff.active(key)) {
      return new ImageOutcome.Waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\""
          + Optional.ofNullable(lastFailure.get(key)).map(f -> ": ErrImagePull: " + f).orElse(""));
    }
    if (waiting.putIfAbsent(key, true) != null) {
      return pulling(image);
    }
    listener.pulling(image);
    long t0 = System.nanoTime();
    String inFlightKey = image + "|" + credentials.hashCode();
    CompletableFuture<Optional<String>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<String>> running = inFlight.putIfAbsent(inFlightKey, mine);
    CompletableFuture<Optional<String>> pull = running != null ? running : mine;
    pull.whenComplete((error, unexpected) -> {
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      String failure = unexpected != null ? String.valueOf(unexpected.getMessage()) : error.orElse(null);
      if (failure == null) {
        backOff.reset(key);
        lastFailure.remove(key);
        results.put(key, new Result.Pulled(took));
        LOG.log(Logger.Level.INFO, "pulled {0} for pod {1} in {2} ms", image, podUid, took.toMillis());
      } else {
        Duration wait = backOff.failed(key);
        lastFailure.put(key, failure);
        results.put(key, new Result.Failed(failure));
        LOG.log(Logger.Level.INFO, "pull of {0} for pod {1} failed, next attempt in {2} s: {3}", image, podUid,
            wait.toSeconds(), failure);
      }
      waiting.remove(key);
      onDone.run();
    });
    if (running == null) {
      executor.execute(() -> run(inFlightKey, mine, image, credentials));
    }
    return tell(key, image, listener).orElseGet(() -> pulling(image));
  }

  private void run(String inFlightKey, CompletableFuture<Optional<String>> pull, String image,
      Map<String, Credentials> credentials) {
    try {
      images.pull(image, credentials);
      inFlight.remove(inFlightKey, pull);
      pull.complete(Optional.empty());
    } catch (PeapodException e) {
      inFlight.remove(inFlightKey, pull);
      pull.complete(Optional.of(e.getMessage()));
    } catch (RuntimeException e) {
      inFlight.remove(inFlightKey, pull);
      pull.completeExceptionally(e);
    }
  }

  /// The outcome of a pull that ended since the pod last asked, told once.
  private Optional<ImageOutcome> tell(String key, String image, Listener listener) {
    Result r = results.remove(key);
    return switch (r) {
      case null -> Optional.empty();
      case Result.Pulled p -> {
        listener.pulled(image, p.took());
        yield Optional.of(new ImageOutcome.Ready(image));
      }
      case Result.Failed f -> {
        String message = "failed to pull image \"" + image + "\": " + f.message();
        listener.failed(image, message);
        yield Optional.of(new ImageOutcome.Waiting("ErrImagePull", message));
      }
    };
  }

  private static ImageOutcome pulling(String image) {
    return new ImageOutcome.Waiting("ContainerCreating", "pulling image \"" + image + "\"");
  }

  /// When the pod may try to pull the image again, while a failed pull's back-off lasts.
  public Optional<Instant> retryAt(String podUid, String image) {
    return backOff.until(podUid + "/" + image);
  }

  /// Drops the back-off and results of a deleted pod's images.
  public void forget(String podUid) {
    backOff.forget(podUid + "/");
    results.keySet().removeIf(k -> k.startsWith(podUid + "/"));
    waiting.keySet().removeIf(k -> k.startsWith(podUid + "/"));
    lastFailure.keySet().removeIf(k -> k.startsWith(podUid + "/"));
  }
}
