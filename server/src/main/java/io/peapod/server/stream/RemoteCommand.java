package io.peapod.server.stream;

import io.peapod.base.json.Json;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Kubernetes' remote command protocol over WebSocket (what kubelet and kubectl call channel.k8s.io):
/// every message starts with its channel, 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize. Version 4 sends
/// the outcome on the error channel as a metav1.Status (exit code in its causes); version 5 adds
/// channel 255, with which the client closes its stdin; version 1 sends only an error's text.
final class RemoteCommand {
  static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io");
  private static final Logger LOG = System.getLogger(RemoteCommand.class.getName());
  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;
  private static final int ERROR = 3;
  private static final int RESIZE = 4;
  private static final int CLOSE = 255;
  private final WebSocket ws;
  private final String protocol;

  RemoteCommand(WebSocket ws, String protocol) {
    this.ws = ws;
    this.protocol = protocol;
  }

  /// Relays until the process ends, then reports how it ended and closes the connection. A client that
  /// leaves first ends an exec'd command (as containerd does) or detaches from an attached container
  /// (which keeps running). `what` names the command in the failure message, as kubelet does.
  void relay(ExecProcess p, boolean stdout, boolean stderr, String what) throws IOException, InterruptedException {
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    Thread out = pump(p.stdout(), STDOUT, stdout);
    Optional<Thread> err = p.stderr().map(e -> pump(e, STDERR, stderr));
    Thread input = Thread.ofPlatform().daemon().name("cri-stream-in").start(() -> {
      readClient(p);
      if (!finished.get()) {
        p.destroy();
      }
    });
    int code = p.waitFor();
    out.join();
    if (err.isPresent()) {
      err.get().join();
    }
    finished.set(true);
    try {
      sendOutcome(code, what);
      ws.close(1000, "");
    } finally {
      input.interrupt();
      p.close();
    }
  }

  /// Copies the process's output to its channel; once the client cannot take it, the output is still
  /// read (and dropped), so the process never blocks on a full pipe.
  private Thread pump(InputStream from, int channel, boolean wanted) {
    return Thread.ofPlatform().daemon().name("cri-stream-out").start(() -> {
      byte[] buf = new byte[32 * 1024];
      boolean sending = wanted;
      try {
        int n;
        while ((n = from.read(buf)) >= 0) {
          if (sending && n > 0) {
            byte[] m = new byte[n + 1];
            m[0] = (byte) channel;
            System.arraycopy(buf, 0, m, 1, n);
            try {
              ws.sendBinary(m);
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

  private void readClient(ExecProcess p) {
    try {
      WebSocket.Message m;
      while ((m = ws.read()) != null) {
        byte[] b = m.payload();
        if (b.length == 0) {
          continue;
        }
        int channel = b[0] & 0xFF;
        if (channel == STDIN) {
          p.stdin().write(b, 1, b.length - 1);
          p.stdin().flush();
        } else if (channel == RESIZE) {
          resize(p, new String(b, 1, b.length - 1, StandardCharsets.UTF_8));
        } else if (channel == CLOSE && protocol.startsWith("v5.") && b.length > 1 && b[1] == STDIN) {
          p.stdin().close();
        }
      }
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "stream client input ended: {0}", e.getMessage());
    } finally {
      // The client is gone or closed its side: the command's stdin ends, as kubelet ends it.
      try {
        p.stdin().close();
      } catch (IOException closing) {
        LOG.log(Logger.Level.DEBUG, "close stdin: {0}", closing.getMessage());
      }
    }
  }

  private static void resize(ExecProcess p, String json) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> size = (Map<String, Object>) Json.parse(json);
      int width = ((Number) size.getOrDefault("Width", 0)).intValue();
      int height = ((Number) size.getOrDefault("Height", 0)).intValue();
      if (width > 0 && height > 0) {
        p.resize(new TerminalSize(height, width));
      }
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.DEBUG, "ignored a malformed resize message: {0}", e.getMessage());
    }
  }

  /// What the client learns of the end: v4+ a Status document, v1 only a failure's text.
  private void sendOutcome(int code, String what) throws IOException {
    String failure = "command terminated with non-zero exit code: error executing command " + what + ", exit code "
        + code;
    byte[] body;
    if (protocol.equals("channel.k8s.io") || protocol.isEmpty()) {
      if (code == 0 || code < 0) {
        return;
      }
      body = failure.getBytes(StandardCharsets.UTF_8);
    } else {
      body = (code <= 0 ? "{\"metadata\":{},\"status\":\"Success\"}"
          : "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + Json.write(failure)
              + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
              + code + "\"}]}}").getBytes(StandardCharsets.UTF_8);
    }
    byte[] m = new byte[body.length + 1];
    m[0] = ERROR;
    System.arraycopy(body, 0, m, 1, body.length);
    ws.sendBinary(m);
  }
}
