package io.peapod.cli;

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
import java.util.List;

/// The training run for the CLI's AOT cache, run by the build. It answers the CLI's requests with
/// canned JSON on a temporary socket, so the cache holds what a real `get pods` loads and links:
/// the socket client, the JSON codec, the table and YAML writers, a pull's progress, and the error path.
public final class AotTraining {
  private static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":"
      + "\"default\",\"uid\":\"u\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},\"status\":{\"phase\":\"Running\","
      + "\"display\":\"Running\",\"ready\":1,\"total\":1,\"restarts\":0,\"podIP\":\"\",\"nodeName\":\"localhost\","
      + "\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"running\":{\"startedAt\":\"2026-01-01T00:00:00Z\"}}}]}}";

  /// A pull's answer: progress lines, then the image.
  private static final String PULL = "{\"progress\":{\"layer\":\"0123456789ab\",\"status\":\"downloading\","
      + "\"current\":1,\"total\":2}}\n{\"progress\":{\"layer\":\"0123456789ab\",\"status\":\"done\",\"current\":2,\"total\":2}}\n"
      + "{\"image\":{\"name\":\"docker.io/library/busybox:latest\",\"digest\":\"sha256:0123456789abcdef0123\"}}\n";

  private AotTraining() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("peapod-aot");
    Path socket = dir.resolve("api.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread t = Thread.ofPlatform().daemon().start(() -> serve(server));
      PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
      Streams io = new Streams(new ByteArrayInputStream(new byte[0]), sink, sink);
      for (String line : List.of("get pods", "get pods -o wide", "get pods -A", "get pod web -o yaml",
          "get pod web -o json", "describe pod web", "version", "image ls", "image pull busybox", "get secrets",
          "ns web", "get nodes", "--help")) {
        PeapodCli.run((line + " --socket=" + socket).split(" "), io);
      }
      PeapodCli.run(new String[] {"get", "pods", "--socket=" + dir.resolve("absent.sock")}, io);
      server.close();
      t.join();
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
            ? "{\"pod\":\"default/web\",\"netnsPin\":\"/run/peapod/netns/x\",\"rows\":[{\"process\":\"pause\",\"pid\":1,"
                + "\"type\":\"net\",\"inode\":4026531840,\"holder\":\"pause\"}]}"
            : path.startsWith("/v1/pods/") ? POD
            : path.startsWith("/v1/pods") ? "{\"items\":[" + POD + "]}"
            : path.startsWith("/v1/images/pull") ? PULL
            : path.startsWith("/v1/secrets") ? "{\"items\":[{\"metadata\":{\"name\":\"s\",\"namespace\":\"default\","
                + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},\"type\":\"Opaque\",\"dataKeys\":1}]}"
            : path.startsWith("/v1/images") ? "{\"items\":[{\"repository\":\"docker.io/library/busybox\",\"tag\":\"latest\","
                + "\"id\":\"sha256:0123456789abcdef0123\",\"digest\":\"sha256:0123456789abcdef0123\",\"size\":1,"
                + "\"created\":\"2026-01-01T00:00:00Z\"}]}"
            : "{\"version\":\"0\",\"ociRuntime\":\"runc\",\"ociRuntimeReason\":\"\",\"cgroups\":\"hybrid\"}";
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
