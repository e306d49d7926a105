package io.peapod.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.sys.Syscalls;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Create and start at once: the pod monitor's `run`, and a pod monitor older than that request (still
/// watching a pod made before an upgrade), on a faked monitor socket.
class ContainerMonitorsRunTest {
  private static final String SANDBOX = "a".repeat(64);
  private static final String CONTAINER = "c".repeat(64);

  @TempDir
  Path root;
  private final List<String> verbs = new CopyOnWriteArrayList<>();

  @Test
  void aPodMonitorRunsTheContainerInOneRequest() throws Exception {
    Instant before = Instant.now();
    Created c = run(false);

    Created.Running running = assertInstanceOf(Created.Running.class, c);
    assertEquals(42, running.pid());
    assertTrue(running.startedAt().isPresent(), "started, at the time the run was asked for");
    assertFalse(running.startedAt().get().isBefore(before));
    assertEquals(List.of("run"), verbs);
  }

  @Test
  void aPodMonitorThatDoesNotKnowRunOnlyCreatesAndSaysSo() throws Exception {
    Created c = run(true);

    assertEquals(Created.Running.created(42), c, "only created: the caller must still start it");
    assertEquals(List.of("run", "create"), verbs);
  }

  private Created run(boolean oldMonitor) throws Exception {
    RuntimeLayout layout = new RuntimeLayout(root.resolve("state"), root.resolve("run"));
    OciRuntime runc = new OciRuntime(new OciRuntimeBinary("runc", Path.of("/usr/sbin/runc"), "test"), root);
    Syscalls sys = fakePodMonitor(oldMonitor);
    try (var monitors = new ContainerMonitors(layout, new Conmon(Path.of("/usr/bin/conmon"), runc, sys),
        Optional.of(new PodMonitor(Path.of("/usr/lib/peapod/peapod-podmon"), runc, sys)))) {
      Path sandbox = layout.sandboxDir(SANDBOX);
      Files.createDirectories(sandbox);
      Files.createFile(sandbox.resolve(PodMonitor.SOCKET));
      Path bundle = layout.containerDir(CONTAINER);
      Files.createDirectories(bundle);
      Created c = monitors.run(SANDBOX, new ConmonRequest(CONTAINER, "c", bundle, bundle.resolve("ctr.log"), 0,
          layout.runRoot().resolve("exits"), layout.runRoot().resolve("sockets"), CONTAINER.substring(0, 12),
          ContainerStdio.NONE));
      assertEquals(!oldMonitor, Files.exists(bundle.resolve("run-at-once")),
          "the bundle says whether the container was asked to run at once (a restart keeps such a one)");
      return c;
    }
  }

  /// Each connection's request verb is recorded; the reply is `ok 42`, or for `run` on an old monitor what
  /// such a monitor says to a request it does not know.
  private Syscalls fakePodMonitor(boolean oldMonitor) {
    Map<Integer, String> requests = new ConcurrentHashMap<>();
    AtomicInteger fds = new AtomicInteger(1000);
    return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "connectSeqPacket" -> fds.incrementAndGet();
          case "write" -> {
            String verb = new String((byte[]) args[1], 0, (Integer) args[2], StandardCharsets.UTF_8).split("\0")[0];
            verbs.add(verb);
            requests.put((Integer) args[0], verb);
            yield null;
          }
          case "close", "shutdown" -> null;
          case "read" -> {
            String verb = requests.get((Integer) args[0]);
            byte[] reply = (oldMonitor && verb.equals("run") ? "error unknown request run" : "ok 42")
                .getBytes(StandardCharsets.UTF_8);
            System.arraycopy(reply, 0, (byte[]) args[1], 0, reply.length);
            yield reply.length;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
