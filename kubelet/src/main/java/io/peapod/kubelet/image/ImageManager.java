package io.peapod.kubelet.image;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.error.PeapodException;
import io.peapod.image.registry.RegistryConfig.Credentials;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.Map;

/// Decides, for one container about to be created, whether its image must be pulled (kubelet's
/// EnsureImageExists): Never uses only the store, IfNotPresent pulls when it is missing, Always asks the
/// registry each time. A failed pull is `ErrImagePull` with the registry's reason; until its back-off
/// ends, later attempts do not pull and say `ImagePullBackOff`.
public final class ImageManager {
  private static final Logger LOG = System.getLogger(ImageManager.class.getName());
  private final ImageSource images;
  private final BackOff backOff;

  public ImageManager(ImageSource images, BackOff backOff) {
    this.images = images;
    this.backOff = backOff;
  }

  /// @param podUid the pod whose container needs the image: the back-off is per pod and image, as
  ///     kubelet's (`<pod uid>_<image>`), so the pod's containers of one image share it
  public ImageOutcome ensure(String podUid, String image, PullPolicy policy, Map<String, Credentials> credentials) {
    boolean present = images.present(image);
    if (policy == PullPolicy.NEVER || (policy == PullPolicy.IF_NOT_PRESENT && present)) {
      return present ? new ImageOutcome.Ready(image) : new ImageOutcome.Waiting("ErrImageNeverPull",
          "Container image \"" + image + "\" is not present with pull policy of Never; import or pull it"
              + " (peapod image pull " + image + ")");
    }
    String backOffKey = podUid + "/" + image;
    if (backOff.active(backOffKey)) {
      return new ImageOutcome.Waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\"");
    }
    try {
      long t0 = System.nanoTime();
      images.pull(image, credentials);
      backOff.reset(backOffKey);
      LOG.log(Logger.Level.INFO, "pulled {0} for pod {1} in {2} ms", image, podUid,
          (System.nanoTime() - t0) / 1_000_000);
      return new ImageOutcome.Ready(image);
    } catch (PeapodException e) {
      Duration wait = backOff.failed(backOffKey);
      LOG.log(Logger.Level.INFO, "pull of {0} for pod {1} failed, next attempt in {2} s: {3}", image, podUid,
          wait.toSeconds(), e.getMessage());
      return new ImageOutcome.Waiting("ErrImagePull", "failed to pull image \"" + image + "\": " + e.getMessage());
    }
  }

  /// Drops the back-off of a deleted pod's images.
  public void forget(String podUid) {
    backOff.forget(podUid + "/");
  }
}
