package io.peapod.cli.command;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.UnavailableException;
import io.peapod.base.api.v1.WorkloadDetail;
import io.peapod.base.api.v1.WorkloadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/// `wait --for=condition=C KIND/NAME...` and `--for=delete` for workloads, polling their status as
/// `kubectl wait` watches it; prints `job.batch/NAME condition met` (or `deleted`) for each.
final class WorkloadWaiter {
  private static final Duration POLL = Duration.ofMillis(250);

  private WorkloadWaiter() {}

  static int await(Context ctx, Resources.Target target, String forWhat, Duration timeout) {
    String plural = Resources.requireWorkload(target.type(), "wait");
    boolean delete = forWhat.equalsIgnoreCase("delete");
    if (!delete && !forWhat.toLowerCase(Locale.ROOT).startsWith("condition=")) {
      throw new InvalidArgumentException("--for " + forWhat + " is not supported; use condition=NAME or delete");
    }
    String condition = delete ? "" : forWhat.substring("condition=".length());
    Instant deadline = Instant.now().plus(timeout);
    for (String name : target.names()) {
      String path = "/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + name;
      String ref = Resources.ref(plural, name);
      while (true) {
        boolean done;
        try {
          WorkloadStatus w = ctx.client().get(path, Map.of(), WorkloadDetail.class).status();
          done = !delete && met(w, condition, ref);
        } catch (NotFoundException e) {
          if (!delete) {
            throw e;
          }
          done = true;
        }
        if (done) {
          ctx.io().out().println(ref + (delete ? " deleted" : " condition met"));
          break;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new UnavailableException("timed out after " + timeout.toSeconds() + " s waiting for " + ref
              + (delete ? " to be deleted" : " to be " + condition));
        }
        sleep();
      }
    }
    return 0;
  }

  /// Whether the condition is True; a Job waited on for Complete that Failed is an error.
  private static boolean met(WorkloadStatus w, String condition, String ref) {
    for (WorkloadStatus.Condition c : w.conditions()) {
      boolean isTrue = c.status().equals("True");
      if (isTrue && c.type().equalsIgnoreCase(condition)) {
        return true;
      }
      if (isTrue && condition.equalsIgnoreCase("Complete") && c.type().equals("Failed")) {
        throw new FailedPreconditionException(ref + " failed (" + c.reason() + ": " + c.message()
            + "); it will not complete");
      }
    }
    return false;
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting", e);
    }
  }
}
