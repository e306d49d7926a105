package io.peapod.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/// A base for test classes whose tests share one daemon with busybox imported. Tests run one class at
/// a time, so the one static daemon belongs to the class running now.
@RequiresRoot
abstract class SharedDaemon {
  static TestDaemon daemon;

  @BeforeAll
  static void startDaemon() throws Exception {
    daemon = TestDaemon.start();
    daemon.importBusybox();
  }

  @AfterAll
  static void stopDaemon() throws Exception {
    daemon.close();
  }
}
