package io.peapod.kubelet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.error.UnavailableException;
import io.peapod.image.registry.RegistryConfig.Credentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageManagerTest {
  /// A store with a settable set of images and a registry that fails while `registryDown`.
  private static final class FakeImages implements ImageSource {
    final Set<String> present = new HashSet<>();
    final List<String> pulls = new ArrayList<>();
    boolean registryDown;

    @Override
    public boolean present(String reference) {
      return present.contains(reference);
    }

    @Override
    public void pull(String reference, Map<String, Credentials> credentials) {
      pulls.add(reference);
      if (registryDown) {
        throw new UnavailableException("127.0.0.1:5000: connection refused");
      }
      present.add(reference);
    }

    @Override
    public String user(String reference) {
      return "";
    }
  }

  private final FakeImages images = new FakeImages();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  /// Pulls run on the caller's thread here, so each ensure sees its own pull's outcome.
  private final ImageManager manager = new ImageManager(images,
      new BackOff(Duration.ofSeconds(10), Duration.ofSeconds(300), () -> now), Runnable::run);

  @Test
  void never_usesOnlyTheStore() {
    var w = (ImageOutcome.Waiting) manager.ensure("pod", "app:1", PullPolicy.NEVER, Map.of(), ImageManager.Listener.NONE, () -> { });
    assertEquals("ErrImageNeverPull", w.reason());
    assertTrue(w.message().contains("app:1"), w.message());
    images.present.add("app:1");
    assertEquals(new ImageOutcome.Ready("app:1"), manager.ensure("pod", "app:1", PullPolicy.NEVER, Map.of(), ImageManager.Listener.NONE, () -> { }));
    assertEquals(List.of(), images.pulls);
  }

  @Test
  void ifNotPresent_pullsOnlyWhenMissing_alwaysPullsEachTime() {
    manager.ensure("pod", "app:1", PullPolicy.IF_NOT_PRESENT, Map.of(), ImageManager.Listener.NONE, () -> { });
    manager.ensure("pod", "app:1", PullPolicy.IF_NOT_PRESENT, Map.of(), ImageManager.Listener.NONE, () -> { });
    assertEquals(List.of("app:1"), images.pulls);
    manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { });
    assertEquals(List.of("app:1", "app:1"), images.pulls);
  }

  @Test
  void failedPull_isErrImagePull_thenBackOffDoublesUntilASuccess() {
    images.registryDown = true;
    var first = (ImageOutcome.Waiting) manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { });
    assertEquals("ErrImagePull", first.reason());
    assertTrue(first.message().contains("connection refused"), first.message());
    now = now.plusSeconds(9);
    assertEquals("ImagePullBackOff", reason(manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { })));
    now = now.plusSeconds(1);
    assertEquals("ErrImagePull", reason(manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { })));
    now = now.plusSeconds(19);
    assertEquals("ImagePullBackOff", reason(manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { })),
        "the second back-off is 20 s");
    assertEquals(2, images.pulls.size());
    images.registryDown = false;
    now = now.plusSeconds(1);
    assertEquals(new ImageOutcome.Ready("app:1"), manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { }));
    images.registryDown = true;
    manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { });
    now = now.plusSeconds(10);
    assertEquals("ErrImagePull", reason(manager.ensure("pod", "app:1", PullPolicy.ALWAYS, Map.of(), ImageManager.Listener.NONE, () -> { })),
        "a success resets the back-off to 10 s");
  }

  private static String reason(ImageOutcome o) {
    return ((ImageOutcome.Waiting) o).reason();
  }
}
