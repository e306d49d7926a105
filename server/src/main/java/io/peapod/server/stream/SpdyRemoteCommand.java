package io.peapod.server.stream;

import io.peapod.base.json.Json;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// Kubernetes' remote command protocol over SPDY, as kubelet serves it: the client opens one stream per
/// channel (`streamtype` error, stdin, stdout, stderr, resize); once the expected ones are open (within
/// [#STREAM_WAIT]) the command's streams are relayed; the outcome goes on the error stream (a
/// metav1.Status from v4 on, plain text before), and the streams end.
final class SpdyRemoteCommand {
  static final List<String> PROTOCOLS = List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
      "channel.k8s.io");
  private static final Logger LOG = System.getLogger(SpdyRemoteCommand.class.getName());
  private static final long STREAM_WAIT_SECONDS = 30;
  private final String protocol;
  private final Map<String, SpdyStream> streams = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> allOpen = new CompletableFuture<>();
  private final List<String> expected;
  private final CompletableFuture<ExecProcess> process = new CompletableFuture<>();
  private volatile boolean finished;

  SpdyRemoteCommand(String protocol, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    this.protocol = protocol;
    List<String> want = new java.util.ArrayList<>(List.of("error"));
    if (stdin) {
      want.add("stdin");
    }
    if (stdout) {
      want.add("stdout");
    }
    if (stderr && !tty) {
      want.add("stderr");
    }
    // Version 1 (also what a client that names no version gets) and 2 have no resize stream.
    if (tty && !protocol.isEmpty() && !protocol.equals("channel.k8s.io") && !protocol.equals("v2.channel.k8s.io")) {
      want.add("resize");
    }
    this.expected = List.copyOf(want);
  }

  /// Called by the connection's reader for each stream the client opens.
  void opened(SpdyStream s) {
    String type = s.header("streamtype");
    if (!type.equals("stdin") && !type.equals("resize")) {
      s.discardInput();
    }
    streams.put(type, s);
    if (streams.keySet().containsAll(expected)) {
      allOpen.complete(null);
    }
  }

  /// The client's connection ended: an exec'd command is killed (as containerd does when its stream
  /// goes), an attach detaches; the container keeps running. Nothing happens once the relay has finished.
  void connectionEnded() {
    process.thenAccept(p -> {
      if (!finished) {
        p.destroy();
      }
    });
  }

  /// Waits for the streams, then relays until the process ends; `start` makes the process once the
  /// streams are there, so nothing runs for a client that never finishes its handshake. Closing stdin
  /// (the client's FIN) only ends the process's input.
  void relay(java.util.function.Supplier<ExecProcess> start, String what) throws IOException, InterruptedException {
    try {
      allOpen.get(STREAM_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the client opened " + streams.keySet() + " of " + expected + " within "
          + STREAM_WAIT_SECONDS + "s");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    }
    ExecProcess p;
    try {
      p = start.get();
    } catch (RuntimeException e) {
      fail(e.getMessage());
      return;
    }
    process.complete(p);
    Thread out = pump(p.stdout(), stream("stdout"));
    Optional<Thread> err = p.stderr().map(e -> pump(e, stream("stderr")));
    Optional<SpdyStream> stdin = stream("stdin");
    Thread in = Thread.ofPlatform().daemon().name("cri-stream-in").start(() -> copyStdin(stdin, p.stdin()));
    stream("resize").ifPresent(r -> Thread.ofPlatform().daemon().name("cri-stream-resize").start(() -> resizes(r, p)));
    int code = p.waitFor();
    out.join();
    if (err.isPresent()) {
      err.get().join();
    }
    finished = true;
    try {
      outcome(code, what);
      for (String type : List.of("stdout", "stderr", "error")) {
        Optional<SpdyStream> s = stream(type);
        if (s.isPresent()) {
          s.get().closeOutput();
        }
      }
    } finally {
      in.interrupt();
      p.close();
    }
  }

  private Optional<SpdyStream> stream(String type) {
    return Optional.ofNullable(streams.get(type));
  }

  /// Copies the process's output to its stream; once the client cannot take it, the output is still read
  /// (and dropped), so the process never blocks on a full pipe.
  private static Thread pump(InputStream from, Optional<SpdyStream> to) {
    return Thread.ofPlatform().daemon().name("cri-stream-out").start(() -> {
      byte[] buf = new byte[32 * 1024];
      boolean sending = to.isPresent();
      try {
        int n;
        while ((n = from.read(buf)) >= 0) {
          if (sending) {
            try {
              to.get().write(buf, n);
            } catch (IOException clientGone) {
              sending = false;
            }
          }
        }
      } catch (IOException e) {
        LOG.log(Logger.Level.DEBUG, "stream output ended: {0}", e.getMessage());
      }
    });
  }

  private static void copyStdin(Optional<SpdyStream> from, OutputStream to) {
    if (from.isEmpty()) {
      return;
    }
    try (to) {
      byte[] buf = new byte[32 * 1024];
      InputStream in = from.get().input();
      int n;
      while ((n = in.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "stream input ended: {0}", e.getMessage());
      from.get().discardInput();
    }
  }

  /// The resize stream carries JSON objects one after another (`{"Width":80,"Height":24}`).
  private static void resizes(SpdyStream s, ExecProcess p) {
    StringBuilder object = new StringBuilder();
    int depth = 0;
    try (InputStream in = s.input()) {
      int c;
      while ((c = in.read()) >= 0) {
        if (depth == 0 && c != '{') {
          continue;
        }
        object.append((char) c);
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        if (depth == 0) {
          resize(p, object.toString());
          object.setLength(0);
        } else if (object.length() > 4096) {
          return;
        }
      }
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "resize stream ended: {0}", e.getMessage());
    }
  }

  private static void resize(ExecProcess p, String json) {
    try {
      if (Json.parse(json) instanceof Map<?, ?> size && size.get("Width") instanceof Number w
          && size.get("Height") instanceof Number h && w.intValue() > 0 && h.intValue() > 0) {
        p.resize(new TerminalSize(h.intValue(), w.intValue()));
      }
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.DEBUG, "ignored a malformed resize message: {0}", e.getMessage());
    }
  }

  private void outcome(int code, String what) throws IOException {
    if (code > 0) {
      String message = "command terminated with non-zero exit code: error executing command " + what
          + ", exit code " + code;
      write(protocol.equals("v4.channel.k8s.io") ? "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
          + Json.write(message) + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\","
          + "\"message\":\"" + code + "\"}]}}" : message);
    } else if (protocol.equals("v4.channel.k8s.io")) {
      write("{\"metadata\":{},\"status\":\"Success\"}");
    }
  }

  private void fail(String message) throws IOException {
    write(protocol.equals("v4.channel.k8s.io") ? "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + Json.write(message) + "}" : message);
    for (SpdyStream s : streams.values()) {
      s.closeOutput();
    }
  }

  private void write(String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    stream("error").orElseThrow().write(b, b.length);
  }
}
