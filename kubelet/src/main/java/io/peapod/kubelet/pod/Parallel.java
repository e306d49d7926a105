package io.peapod.kubelet.pod;

import io.peapod.base.error.InternalException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/// Runs independent steps on virtual threads and returns their results in order; the first failure is
/// thrown after all have finished, so nothing is left running behind a rollback.
final class Parallel {
  private Parallel() {}

  static <T> List<T> run(List<Callable<T>> tasks) {
    if (tasks.size() == 1) {
      return List.of(call(tasks.getFirst()));
    }
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = tasks.stream().map(ex::submit).toList();
      List<T> out = new ArrayList<>();
      RuntimeException first = null;
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          RuntimeException cause = unchecked(e.getCause());
          if (first == null) {
            first = cause;
          } else {
            first.addSuppressed(cause);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InternalException("interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
      return out;
    }
  }

  private static <T> T call(Callable<T> task) {
    try {
      return task.call();
    } catch (Exception e) {
      throw unchecked(e);
    }
  }

  private static RuntimeException unchecked(Throwable t) {
    return t instanceof RuntimeException r ? r : new InternalException(String.valueOf(t.getMessage()), t);
  }
}
