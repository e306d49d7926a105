package io.peapod.server;

import io.peapod.base.error.PeapodException;
import io.peapod.server.logging.JsonLogFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/// `peapod daemon [flags]`: runs until SIGTERM or SIGINT, then stops serving and exits 0, leaving the
/// containers running under their conmon monitors.
public final class DaemonMain {
  private DaemonMain() {}

  public static void main(String[] args) throws InterruptedException {
    DaemonConfig config;
    Daemon daemon;
    try {
      config = DaemonConfig.parse(List.of(args));
      JsonLogFormatter.install(config.logLevel());
      if (!"root".equals(System.getProperty("user.name"))) {
        System.err.println("peapod daemon: must run as root (it mounts, makes namespaces and cgroups)");
        System.exit(1);
        return;
      }
      daemon = Daemon.start(config);
    } catch (PeapodException e) {
      System.err.println("peapod daemon: " + e.getMessage());
      System.exit(e.code().exitCode());
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      daemon.close();
      stop.countDown();
    }));
    stop.await();
  }
}
