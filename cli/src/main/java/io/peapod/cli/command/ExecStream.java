package io.peapod.cli.command;

import io.peapod.base.api.StreamFrames;
import io.peapod.base.json.Json;
import io.peapod.cli.client.ApiClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// One command run in a container through the API's exec stream, or a container's own streams through
/// its attach stream (the same frames): `stdin` (if any) is sent, output goes to `stdout` and `stderr`;
/// returns the exit code, or -1 when the stream ended without one (the daemon closed it, or an attached
/// container still runs).
final class ExecStream {
  private ExecStream() {}

  /// The request body of an exec; `terminal` is the size when a terminal is wanted.
  static Map<String, Object> body(String container, List<String> command, boolean stdin, Optional<int[]> terminal) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("container", container);
    body.put("command", command);
    body.put("stdin", stdin);
    body.put("tty", terminal.isPresent());
    terminal.ifPresent(size -> {
      body.put("rows", size[0]);
      body.put("columns", size[1]);
    });
    return body;
  }

  /// The request body of an attach to `container`'s own streams.
  static Map<String, Object> attachBody(String container, boolean stdin, Optional<int[]> terminal) {
    Map<String, Object> body = body(container, List.of(), stdin, terminal);
    body.remove("command");
    return body;
  }

  static int run(Context ctx, String pod, Map<String, Object> body, Optional<InputStream> stdin, OutputStream stdout,
      OutputStream stderr) throws IOException {
    return stream(ctx, pod, "exec", body, stdin, stdout, stderr);
  }

  static int attach(Context ctx, String pod, Map<String, Object> body, Optional<InputStream> stdin,
      OutputStream stdout, OutputStream stderr) throws IOException {
    return stream(ctx, pod, "attach", body, stdin, stdout, stderr);
  }

  private static int stream(Context ctx, String pod, String kind, Map<String, Object> body,
      Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr) throws IOException {
    try (ApiClient.Response r = ctx.client().open("POST", "/v1/pods/" + ctx.namespace() + "/" + pod + "/" + kind,
        Map.of(), Json.write(body).getBytes(StandardCharsets.UTF_8),
        Map.of("Connection", "Upgrade", "Upgrade", "peapod-exec"))) {
      if (r.status() != 101) {
        ApiClient.check(r.status(), r.body().readAllBytes());
      }
      boolean endWithEot = Boolean.TRUE.equals(body.get("tty")) && !LocalTerminal.present();
      Thread feeder = stdin.map(in -> Thread.ofPlatform().daemon().start(() -> feed(in, r.out(), endWithEot)))
          .orElse(null);
      DataInputStream frames = new DataInputStream(r.body());
      while (true) {
        Optional<StreamFrames.Frame> f = StreamFrames.read(frames);
        if (f.isEmpty()) {
          return -1;
        }
        switch (f.get().stream()) {
          case StreamFrames.STDOUT -> {
            stdout.write(f.get().payload());
            stdout.flush();
          }
          case StreamFrames.STDERR -> {
            stderr.write(f.get().payload());
            stderr.flush();
          }
          case StreamFrames.EXIT -> {
            if (feeder != null) {
              feeder.interrupt();
            }
            return Integer.parseInt(new String(f.get().payload(), StandardCharsets.US_ASCII).trim());
          }
          default -> { }
        }
      }
    }
  }

  /// Sends the input, then its end. A terminal has no end of input of its own: for input that is not
  /// the user's terminal (a pipe, a file), `endWithEot` types Ctrl-D after it, as a user ends a shell.
  private static void feed(InputStream in, OutputStream out, boolean endWithEot) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        StreamFrames.write(out, StreamFrames.STDIN, buf, n);
      }
      if (endWithEot) {
        StreamFrames.write(out, StreamFrames.STDIN, new byte[] {4}, 1);
      }
      StreamFrames.write(out, StreamFrames.STDIN, buf, 0);
    } catch (IOException e) {
      // The session ended while input was still coming; nothing is left to deliver it to.
    }
  }
}
