package io.peapod.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/// A base for test classes that push images to a registry on loopback and pull them with one daemon
/// (busybox imported, its layer at hand to build images on). Like [SharedDaemon], the statics belong to
/// the class running now.
@RequiresRoot
abstract class SharedRegistry {
  static TestDaemon daemon;
  static LocalRegistry registry;
  static byte[] busyboxLayer;

  @BeforeAll
  static void startRegistryAndDaemon() throws Exception {
    registry = LocalRegistry.start();
    daemon = TestDaemon.start();
    daemon.importBusybox();
    busyboxLayer = daemon.busyboxLayer();
  }

  @AfterAll
  static void stopRegistryAndDaemon() throws Exception {
    try {
      daemon.close();
    } finally {
      registry.close();
    }
  }

  /// Pushes `repo:tag`, busybox plus a layer whose `/etc/marker` the image's command prints.
  static byte[] push(String repo, String tag, String marker) throws Exception {
    return TestImages.push(registry, busyboxLayer, repo, tag, marker);
  }
}
