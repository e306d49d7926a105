package io.peapod.server;

import io.peapod.base.error.PeapodException;
import io.peapod.server.logging.JsonLogFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/// `peapod daemon [flags]`: runs until SIGTERM or SIGINT, then stops serving and exits 0, leaving the
/// containers running under their conmon monitors.
public final class DaemonMain {
  private DaemonMain() {}

  public static void main(String[] args) throws InterruptedException {
    DaemonConfig config;
    try {
      config = DaemonConfig.parse(List.of(args));
      JsonLogFormatter.install(config.logLevel());
    } catch (PeapodException e) {
      System.err.println("peapod daemon: " + e.getMessage());
      System.exit(e.code().exitCode());
      return;
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      System.err.println("peapod daemon: must run as root (it mounts, makes namespaces and cgroups)");
      System.exit(1);
      return;
    }
    // Registered before the start, so a SIGTERM while the daemon starts closes what it made (the
    // masquerade rule, the sandbox pool) once it has started; a start that failed has nothing to close.
    CompletableFuture<Daemon> started = new CompletableFuture<>();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      started.thenAccept(Daemon::close).exceptionally(e -> null).join();
      stop.countDown();
    }));
    try {
      started.complete(Daemon.start(config));
    } catch (PeapodException e) {
      started.completeExceptionally(e);
      System.err.println("peapod daemon: " + e.getMessage());
      System.exit(e.code().exitCode());
      return;
    } catch (RuntimeException | Error e) {
      started.completeExceptionally(e);
      throw e;
    }
    stop.await();
  }
}
