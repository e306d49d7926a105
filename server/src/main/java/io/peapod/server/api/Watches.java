package io.peapod.server.api;

import io.peapod.base.json.Json;
import io.peapod.base.labels.LabelSelector;
import io.peapod.base.api.v1.WatchEvent;
import io.peapod.base.json.JsonNode;
import io.peapod.base.json.JsonRecords;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.event.Event;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.sync.PodChanges;
import io.peapod.server.http.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/// Watch streams, as `kubectl get -w` reads them: one JSON object per line, `{"type": "ADDED" |
/// "MODIFIED" | "DELETED", "object": ...}`, first the objects as they are, then each change. An empty
/// line every 15 s finds out whether the client is still there; the stream ends when it is not, and the
/// subscription with it. At most 1,000 changes wait for a slow reader; past that the stream ends.
final class Watches {
  private static final long HEARTBEAT_SECONDS = 15;
  private static final int MAX_QUEUED = 1_000;

  private Watches() {}

  static HttpResponse pods(Kubelet kubelet, Optional<String> namespace, LabelSelector selector) {
    return new HttpResponse.Streamed(200, "application/x-ndjson", out -> {
      BlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
      boolean[] overflow = {false};
      try (AutoCloseable sub = kubelet.watch(c -> {
        if ((namespace.isEmpty() || c.pod().namespace().equals(namespace.get()))
            && selector.matches(c.pod().labels())) {
          overflow[0] |= !queue.offer(watched(c.type().name(), ApiJson.pod(c.pod(),
              kubelet.specDocument(c.pod().uid()), kubelet.nodeIp())));
        }
      })) {
        for (PodView p : kubelet.list(namespace, selector)) {
          line(out, watched(PodChanges.Change.Type.ADDED.name(), ApiJson.pod(p,
              kubelet.specDocument(p.uid()), kubelet.nodeIp())));
        }
        drain(queue, overflow, out);
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("watch ended: " + e.getMessage(), e);
      }
    });
  }

  static HttpResponse events(Kubelet kubelet, Optional<String> namespace) {
    return new HttpResponse.Streamed(200, "application/x-ndjson", out -> {
      BlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
      boolean[] overflow = {false};
      try (AutoCloseable sub = kubelet.watchEvents(e -> {
        if (namespace.isEmpty() || e.namespace().equals(namespace.get())) {
          overflow[0] |= !queue.offer(watched(e.count() == 1 ? "ADDED" : "MODIFIED", ApiJson.event(e)));
        }
      })) {
        for (Event e : kubelet.events(namespace)) {
          line(out, watched("ADDED", ApiJson.event(e)));
        }
        drain(queue, overflow, out);
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("watch ended: " + e.getMessage(), e);
      }
    });
  }

  private static WatchEvent watched(String type, Record object) {
    return new WatchEvent(type, new JsonNode(JsonRecords.tree(object)));
  }

  private static void drain(BlockingQueue<WatchEvent> queue, boolean[] overflow, OutputStream out)
      throws IOException, InterruptedException {
    while (!overflow[0]) {
      WatchEvent next = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
      if (next == null) {
        out.write('\n');
        out.flush();
      } else {
        line(out, next);
      }
    }
  }

  private static void line(OutputStream out, WatchEvent obj) throws IOException {
    out.write((Json.write(obj) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
