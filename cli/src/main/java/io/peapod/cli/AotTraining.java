package io.peapod.cli;

import io.peapod.base.api.v1.ApplyAnswer;
import io.peapod.base.api.v1.ContainerState;
import io.peapod.base.api.v1.ContainerStatus;
import io.peapod.base.api.v1.DataList;
import io.peapod.base.api.v1.Deleted;
import io.peapod.base.api.v1.DataSummary;
import io.peapod.base.api.v1.EventList;
import io.peapod.base.api.v1.Image;
import io.peapod.base.api.v1.ImageList;
import io.peapod.base.api.v1.NamespaceReport;
import io.peapod.base.api.v1.ObjectMeta;
import io.peapod.base.api.v1.Pod;
import io.peapod.base.api.v1.PodCondition;
import io.peapod.base.api.v1.PodList;
import io.peapod.base.api.v1.PodStatus;
import io.peapod.base.api.v1.PullLine;
import io.peapod.base.api.v1.Version;
import io.peapod.base.json.JsonRecords;
import io.peapod.cli.command.Streams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The training run for the CLI's AOT cache, run by the build. It answers the CLI's requests with
/// canned documents (the API's own records, so they cannot drift from what the daemon sends) on a
/// temporary socket, so the cache holds what a real `get pods` loads and links: the socket client, the
/// record codec, the table and YAML writers, a pull's progress, `apply` and `delete`, and the error path.
///
/// With `--serve SOCKET` it only answers, until it is killed: the training runs of single verbs
/// ([AotTrainingRuns], cli/src/build/aot-caches.sh) then have nothing of this class in their caches.
public final class AotTraining {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final ObjectMeta META = meta(T);
  private static final Pod POD = pod(T);
  /// Pods of every age format (`45s`, `4m30s`, `25m`, `5h`, `3d`): each is a string concatenation of its own
  /// shape, linked at its first use unless the training met it.
  private static final List<Pod> PODS = java.util.stream.Stream.of(45L, 270L, 1500L, 5 * 3600L, 3 * 86400L)
      .map(s -> pod(Instant.now().minusSeconds(s))).toList();

  private static ObjectMeta meta(Instant created) {
    return new ObjectMeta("web", "default", "u", Optional.empty(), Optional.of(created), Optional.empty(),
        Map.of("app", "web"), Map.of(), List.of());
  }

  private static Pod pod(Instant created) {
    return Pod.of(meta(created), Optional.empty(), new PodStatus("Running", Optional.empty(), Optional.empty(),
        List.of(new PodCondition("Ready", "True", created, Optional.empty(), Optional.empty())), "", "",
        Optional.of(created), "BestEffort", List.of(), List.of(new ContainerStatus("c", "peapod://c", "busybox",
            "sha256:0", true, true, 0, 1, ContainerState.running(Optional.of(created)), Optional.empty(),
            Optional.empty(), "")), List.of(), "Running", 1, 1, 0, Optional.empty(), "localhost", "s", 1, "", false,
        false, ""));
  }
  private static final Image IMAGE = new Image("docker.io/library/busybox:latest", "docker.io/library/busybox",
      "latest", "sha256:0123456789abcdef0123", "sha256:0123456789abcdef0123", 1, T, Optional.empty());

  /// A pull's answer: progress lines, then the image.
  private static final String PULL = JsonRecords.write(new PullLine(Optional.of(new PullLine.Progress("0123456789ab",
      "downloading", 1, 2)), Optional.empty(), Optional.empty())) + "\n" + JsonRecords.write(new PullLine(
      Optional.of(new PullLine.Progress("0123456789ab", "done", 2, 2)), Optional.empty(), Optional.empty())) + "\n"
      + JsonRecords.write(new PullLine(Optional.empty(), Optional.of(IMAGE), Optional.empty())) + "\n";

  private AotTraining() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 2 && args[0].equals("--serve")) {
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(Path.of(args[1])));
        serve(server);
      }
      return;
    }
    // The CLI reads its socket from the environment when no --socket is given, as below.
    System.getenv("PEAPOD_SOCKET");
    Path dir = Files.createTempDirectory("peapod-aot");
    Path socket = dir.resolve("api.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread t = Thread.ofPlatform().daemon().start(() -> serve(server));
      PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
      Streams io = new Streams(new ByteArrayInputStream(new byte[0]), sink, sink);
      Path manifest = dir.resolve("web.yaml");
      Files.writeString(manifest, "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n");
      for (String line : List.of("get pods", "get pods -o wide", "get pods -A", "get pod web -o yaml",
          "get pod web -o json", "describe pod web", "version", "image ls", "image pull busybox", "get secrets", "ns web", "get nodes",
          "apply -f " + manifest, "delete pod web --grace-period=0", "--help")) {
        PeapodCli.run((line + " --socket=" + socket).split(" "), io);
      }
      PeapodCli.run(new String[] {"get", "pods", "--socket=" + dir.resolve("absent.sock")}, io);
      server.close();
      t.join();
      Files.delete(manifest);
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  private static void serve(ServerSocketChannel server) {
    while (server.isOpen()) {
      try (SocketChannel c = server.accept()) {
        InputStream in = Channels.newInputStream(c);
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
          head.append((char) b);
          if (head.toString().endsWith("\r\n\r\n")) {
            break;
          }
        }
        String path = head.toString().split(" ")[1];
        String body = path.startsWith("/v1/pods/default/web/namespaces")
            ? JsonRecords.write(new NamespaceReport("default/web", "/run/peapod/netns/x", List.of(
                new NamespaceReport.Row("pause", 1, "net", 4026531840L, "pause"))))
            : path.startsWith("/v1/pods/default/web/events") ? JsonRecords.write(new EventList(List.of()))
            : path.startsWith("/v1/apply") ? JsonRecords.write(new ApplyAnswer(List.of("pod/web created"), List.of(),
                List.of(new ApplyAnswer.Applied("Pod", "default", "web", "created"))))
            : head.toString().startsWith("DELETE /v1/pods/") ? JsonRecords.write(new Deleted(List.of()))
            : path.startsWith("/v1/pods/") ? JsonRecords.write(POD)
            : path.startsWith("/v1/pods") ? JsonRecords.write(new PodList(PODS))
            : path.startsWith("/v1/images/pull") ? PULL
            : path.startsWith("/v1/secrets") ? JsonRecords.write(new DataList(List.of(new DataSummary("v1", "Secret",
                META, Optional.of("Opaque"), 1))))
            : path.startsWith("/v1/images") ? JsonRecords.write(new ImageList(List.of(IMAGE)))
            : JsonRecords.write(new Version("0", "runc", "", "hybrid", "/var/lib/peapod"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = Channels.newOutputStream(c);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
      } catch (IOException closed) {
        return;
      }
    }
  }
}
