package io.peapod.kubelet.image;

import io.peapod.image.ImageService;
import io.peapod.image.registry.RegistryConfig.Credentials;
import java.util.Map;

/// What the image manager needs of the image store: a narrow seam, so its policy can be tested alone.
public interface ImageSource {
  boolean present(String reference);

  /// Pulls and names the image; throws a PeapodException carrying the registry's reason on failure.
  void pull(String reference, Map<String, Credentials> credentials);

  /// The image config's `User` (empty: root); the image is present.
  String user(String reference);

  /// The daemon's image store; progress of pulls made for pods goes to the log only.
  static ImageSource of(ImageService images) {
    return new ImageSource() {
      @Override
      public boolean present(String reference) {
        return images.find(reference).isPresent();
      }

      @Override
      public void pull(String reference, Map<String, Credentials> credentials) {
        images.pull(reference, credentials, progress -> { });
      }

      @Override
      public String user(String reference) {
        return images.config(images.get(reference)).user();
      }
    };
  }
}
