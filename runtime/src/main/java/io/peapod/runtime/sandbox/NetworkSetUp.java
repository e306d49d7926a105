package io.peapod.runtime.sandbox;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.network.CniNetwork;
import io.peapod.runtime.network.CniResult;
import io.peapod.runtime.network.PodNetworkRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/// A sandbox's CNI ADD, running on a thread of its own from the moment it is made, so the pause
/// container is created at the same time. A platform thread: the plugins are processes it waits for.
/// The result is handed to `recorded` as soon as ADD returns, so a crash from then on leaves what DEL needs.
final class NetworkSetUp {
  private final CompletableFuture<CniResult> result = new CompletableFuture<>();
  private volatile long finishedAt;

  NetworkSetUp(CniNetwork network, PodNetworkRequest request, Consumer<CniResult> recorded) {
    Thread.ofPlatform().name("cni-add-" + request.sandboxId().substring(0, 12)).start(() -> {
      try {
        CniResult r = network.setUp(request);
        finishedAt = System.nanoTime();
        recorded.accept(r);
        result.complete(r);
      } catch (RuntimeException | Error e) {
        finishedAt = System.nanoTime();
        result.completeExceptionally(e);
      }
    });
  }

  /// The ADD's result, or its failure as the plugin reported it.
  CniResult join() {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new InternalException("CNI ADD failed: " + e.getCause(), e.getCause());
    }
  }

  /// Waits for the ADD to end, however it ends, so that an undo (CNI DEL) never runs beside it.
  void awaitQuietly() {
    result.handle((r, e) -> null).join();
  }

  long finishedAt() {
    return finishedAt;
  }
}
