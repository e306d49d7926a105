package io.peapod.cli.command;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.PeapodException;
import io.peapod.cli.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/// Waits for several pods at once through the API's `wait`, which returns when a pod gets there or
/// says why it will not. Prints `pod/NAME condition met` for each, in order, as `kubectl wait`.
final class PodWaiter {
  /// One pod to wait for.
  record Target(String namespace, String name) {}

  private PodWaiter() {}

  /// Returns the first failure (after every wait has ended), or empty when all pods got there.
  static Optional<PeapodException> await(ApiClient client, List<Target> pods, String condition, String timeout,
      Streams io) {
    List<Future<Optional<PeapodException>>> waits = new ArrayList<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Target t : pods) {
        waits.add(ex.submit(() -> {
          try {
            client.get("/v1/pods/" + t.namespace() + "/" + t.name() + "/wait", Map.of("for", condition,
                "timeout", timeout));
            return Optional.<PeapodException>empty();
          } catch (PeapodException e) {
            return Optional.of(e);
          }
        }));
      }
      Optional<PeapodException> first = Optional.empty();
      for (int i = 0; i < pods.size(); i++) {
        Optional<PeapodException> failed = waits.get(i).get();
        if (failed.isEmpty()) {
          io.out().println("pod/" + pods.get(i).name() + " condition met");
        } else {
          io.err().println("error: " + failed.get().getMessage());
          first = first.or(() -> failed);
        }
      }
      return first;
    } catch (ExecutionException e) {
      throw new InternalException("wait: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while waiting", e);
    }
  }
}
