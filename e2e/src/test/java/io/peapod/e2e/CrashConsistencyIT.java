package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// The daemon SIGKILLed at random points while pods are created, restarted and deleted (seeded:
/// `-Dpeapod.crash.seed=N` repeats a run). After each restart, from the kernel's view: every pod the
/// API acknowledged is whole (pause and containers running) or, once its delete was acknowledged, gone;
/// every runc container, monitor, netns pin and cgroup belongs to a pod the API lists. At the end every
/// pod deletes and nothing at all is left.
@RequiresRoot
class CrashConsistencyIT {
  private static final int ROUNDS = 8;

  private enum Kind { STEADY, CRASHER, WITH_INIT }

  private static String manifest(String name, Kind kind) {
    String spec = switch (kind) {
      case STEADY -> """
            containers:
            - {name: a, image: busybox, command: ['sleep', '3600']}
            - {name: b, image: busybox, command: ['sleep', '3600']}
          """;
      case CRASHER -> """
            containers:
            - {name: a, image: busybox, command: ['sh', '-c', 'sleep 0.3; exit 1']}
          """;
      case WITH_INIT -> """
            initContainers:
            - {name: init, image: busybox, command: ['sh', '-c', 'sleep 0.2']}
            containers:
            - {name: a, image: busybox, command: ['sleep', '3600']}
          """;
    };
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          labels: {kind: %s}
        spec:
          terminationGracePeriodSeconds: 1
        %s""".formatted(name, kind.name().toLowerCase(), spec);
  }

  private static Set<String> ids(JsonNode status) {
    Set<String> ids = new HashSet<>();
    ids.add(status.get("sandboxId").text(""));
    List<JsonNode> all = new ArrayList<>(status.get("initContainerStatuses").list());
    all.addAll(status.get("containerStatuses").list());
    for (JsonNode c : all) {
      ids.add(c.get("containerID").text("").replace("peapod://", ""));
      ids.add(c.get("lastState").get("terminated").get("containerID").text("").replace("peapod://", ""));
    }
    ids.remove("");
    return ids;
  }

  private static List<String> names(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /// Whether every listed pod is whole: its pause process alive and each container that should run, running.
  private static boolean settled(TestDaemon d) {
    for (JsonNode pod : PodList.items(d)) {
      JsonNode status = pod.get("status");
      if (!ProcFs.HOST.isAlive((int) status.get("pausePid").asLong(0))) {
        return false;
      }
      if (pod.get("metadata").get("labels").get("kind").text("").equals("crasher")) {
        continue;
      }
      for (JsonNode c : status.get("containerStatuses").list()) {
        if (!ProcFs.HOST.isAlive((int) c.get("pid").asLong(0))) {
          return false;
        }
      }
    }
    return true;
  }

  /// What the kernel and the runtime hold that no listed pod accounts for.
  private static List<String> unowned(TestDaemon d) throws IOException {
    Set<String> known = new HashSet<>();
    for (JsonNode pod : PodList.items(d)) {
      known.addAll(ids(pod.get("status")));
    }
    List<String> unowned = new ArrayList<>();
    for (String id : TestDaemon.run("runc", "--root", d.root.resolve("run/runc").toString(), "list", "-q").lines()
        .toList()) {
      if (!id.isBlank() && !known.contains(id)) {
        unowned.add("runc container " + id);
      }
    }
    names(d.root.resolve("run/netns")).stream().filter(n -> !known.contains(n)).forEach(n -> unowned.add("netns " + n));
    d.podCgroups().stream().filter(p -> !known.contains(p.getFileName().toString().substring(3)))
        .forEach(p -> unowned.add("cgroup " + p));
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.map(p -> ProcFs.HOST.cmdline((int) p.pid())).filter(c -> c.contains("conmon") && c.contains(d.root.toString()))
          .map(c -> c.replaceAll("^.* -c ([0-9a-f]{64}) .*$", "$1")).filter(id -> !known.contains(id))
          .forEach(id -> unowned.add("conmon of " + id));
    }
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.map(p -> ProcFs.HOST.cmdline((int) p.pid()))
          .filter(c -> TestDaemon.isPodMonitor(c) && c.contains(d.root.toString()))
          .map(c -> c.replaceAll("^\\S*podmon ([0-9a-f]{64}) .*$", "$1")).filter(id -> !known.contains(id))
          .forEach(id -> unowned.add("pod monitor of " + id));
    }
    return unowned;
  }

  @Test
  void sigkillsDuringCreateRestartAndDelete_leaveEveryPodWholeOrGone_andNothingLeaks() throws Exception {
    long seed = Long.getLong("peapod.crash.seed", 20261203L);
    Random random = new Random(seed);
    try (TestDaemon d = TestDaemon.start()) {
      d.importBusybox();
      Set<String> acknowledged = new TreeSet<>();
      Set<String> deleted = new TreeSet<>();
      for (int round = 0; round < ROUNDS; round++) {
        String context = "seed " + seed + " round " + round;
        for (int k = 0; k < 3; k++) {
          String name = "p" + round + "-" + k;
          Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
          if (d.cli("apply", "-f", d.writeManifest(name + ".yaml", manifest(name, kind)).toString()).exitCode() == 0) {
            acknowledged.add(name);
          }
        }
        if (acknowledged.size() > 3 && random.nextBoolean()) {
          String victim = new ArrayList<>(acknowledged).get(random.nextInt(acknowledged.size()));
          if (d.cli("delete", "pod", victim, "--wait=false").exitCode() == 0) {
            acknowledged.remove(victim);
            deleted.add(victim);
          }
        }
        Thread.sleep(random.nextInt(1500));
        d.kill9();
        d.startProcess();

        assertTrue(d.eventually(Duration.ofSeconds(60), () -> settled(d)), context + ": pods whole again: "
            + d.cli("get", "pods").out());
        Set<String> listed = new TreeSet<>(PodList.items(d).stream().map(p -> p.get("metadata").get("name").text(""))
            .toList());
        assertTrue(listed.containsAll(acknowledged), context + ": acknowledged pods survive: " + acknowledged
            + " listed " + listed);
        assertTrue(d.eventually(Duration.ofSeconds(30), () -> PodList.items(d).stream()
            .noneMatch(p -> deleted.contains(p.get("metadata").get("name").text("")))), context + ": deletes finish");
        // A crasher's next instance may be mid-creation (its monitor up, the API not told yet): what is
        // unowned must become owned or go, not stay.
        assertTrue(d.eventually(Duration.ofSeconds(10), () -> {
          try {
            return unowned(d).isEmpty();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }), context + ": everything the kernel holds belongs to a listed pod: " + unowned(d));
      }
      for (JsonNode pod : PodList.items(d)) {
        d.cli("delete", "pod", pod.get("metadata").get("name").text("")).ok();
      }
      assertEquals(List.of(), d.leftovers(), "seed " + seed + ": nothing is left once every pod is deleted");
    }
  }

  /// The `get pods -o json` items.
  private static final class PodList {
    private PodList() {}

    static List<JsonNode> items(TestDaemon d) {
      return Json.parseNode(d.cli("get", "pods", "-o", "json").ok().out()).get("items").list();
    }
  }
}
