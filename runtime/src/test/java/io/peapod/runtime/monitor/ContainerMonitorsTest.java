package io.peapod.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The create bound and the pod monitor's start, on a pod monitor whose process and socket are faked.
class ContainerMonitorsTest {
  private static final String BUSY = "a".repeat(64);
  private static final String ARRIVING = "b".repeat(64);

  @TempDir
  Path root;
  private final List<String> spawned = new CopyOnWriteArrayList<>();
  private final CountDownLatch busyCreateRuns = new CountDownLatch(1);
  private final CountDownLatch runcFinishes = new CountDownLatch(1);

  @Test
  void aPodMonitorStartsOnlyWhenItsPauseMayBeCreated() throws Exception {
    RuntimeLayout layout = new RuntimeLayout(root.resolve("state"), root.resolve("run"));
    OciRuntime runc = new OciRuntime(new OciRuntimeBinary("runc", Path.of("/usr/sbin/runc"), "test"), root);
    Syscalls sys = fakePodMonitors();
    try (var monitors = new ContainerMonitors(layout, new Conmon(Path.of("/usr/bin/conmon"), runc, sys),
        Optional.of(new PodMonitor(Path.of("/usr/lib/peapod/peapod-podmon"), runc, sys)), 1)) {
      Path busy = layout.sandboxDir(BUSY);
      Files.createDirectories(busy);
      Files.createFile(busy.resolve(PodMonitor.SOCKET));
      Thread holder = Thread.ofPlatform().start(() -> monitors.create(BUSY, request(layout, "c".repeat(64))));
      assertTrue(busyCreateRuns.await(10, TimeUnit.SECONDS));
      Files.createDirectories(layout.sandboxDir(ARRIVING));
      AtomicReference<Created> pause = new AtomicReference<>();
      Thread arriving = Thread.ofPlatform().start(() -> pause.set(monitors.createPause(ARRIVING,
          request(layout, ARRIVING))));

      // A monitor started now would wait for the one create slot, and leave after its idle minute.
      for (int i = 0; i < 1000 && arriving.getState() != Thread.State.WAITING; i++) {
        Thread.sleep(10);
      }
      assertEquals(Thread.State.WAITING, arriving.getState(), "the pause create waits for its turn");
      assertEquals(List.of(), spawned, "no pod monitor is started before its create may run");

      runcFinishes.countDown();
      holder.join();
      arriving.join();
      assertEquals(1, spawned.size());
      assertInstanceOf(Created.Running.class, pause.get());
    }
  }

  private static ConmonRequest request(RuntimeLayout layout, String id) {
    Path bundle = layout.containerDir(id);
    return new ConmonRequest(id, "c", bundle, bundle.resolve("ctr.log"), 0, layout.runRoot().resolve("exits"),
        layout.runRoot().resolve("sockets"), id.substring(0, 12), ContainerStdio.NONE);
  }

  /// spawn writes the monitor's pid file; a connection's reply is `ok 42`, held back for the busy
  /// sandbox's create (which holds the one create slot) until `runcFinishes`.
  private Syscalls fakePodMonitors() {
    Map<Integer, Path> sockets = new ConcurrentHashMap<>();
    AtomicInteger fds = new AtomicInteger(1000);
    return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "spawn" -> {
            @SuppressWarnings("unchecked")
            List<String> argv = (List<String>) args[0];
            spawned.add(argv.get(1));
            Path dir = Path.of(argv.get(2));
            write(MonitorPid.file(dir), "4242");
            Files.createFile(dir.resolve(PodMonitor.SOCKET));
            yield new SpawnedProcess(4242, Map.of());
          }
          case "waitpid" -> 0;
          case "connectSeqPacket" -> {
            int fd = fds.incrementAndGet();
            sockets.put(fd, (Path) args[0]);
            yield fd;
          }
          case "write", "close", "shutdown" -> null;
          case "read" -> {
            if (sockets.get((Integer) args[0]).toString().contains(BUSY)) {
              busyCreateRuns.countDown();
              runcFinishes.await(10, TimeUnit.SECONDS);
            }
            byte[] reply = "ok 42".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(reply, 0, (byte[]) args[1], 0, reply.length);
            yield reply.length;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
