package io.peapod.cli.command;

import io.peapod.base.error.UnavailableException;
import io.peapod.cli.args.Flag;
import io.peapod.base.api.v1.ContainerState;
import io.peapod.base.api.v1.ContainerStatus;
import io.peapod.base.api.v1.Pod;
import io.peapod.base.api.v1.PodStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/// The user's terminal on a container's own streams, for `attach`, `run -i` and `debug -i`: waits for
/// the container to run, then relays its output (and with `stdin` the user's input; with `tty` in raw
/// mode) until the container ends or the user leaves.
final class Attacher {
  static final Flag POD_RUNNING_TIMEOUT = Flag.value(
      "How long to wait for the container to run (default 1m).", "--pod-running-timeout");
  private static final Duration POLL = Duration.ofMillis(100);

  private Attacher() {}

  /// What a waited-for container came to: running, or already ended with an exit code.
  sealed interface Outcome {
    record Running() implements Outcome {}

    record Ended(int exitCode) implements Outcome {}
  }

  /// Polls the pod until `container` (init, app or ephemeral) runs or has ended; a timeout says why it waits.
  static Outcome awaitRunning(Context ctx, String pod, String container, Duration timeout) {
    Instant until = Instant.now().plus(timeout);
    String why = "";
    while (true) {
      PodStatus status = ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + pod, Map.of(), Pod.class).status();
      Optional<ContainerState> state = status.container(container).map(ContainerStatus::state);
      if (state.isPresent()) {
        if (state.get().running().isPresent()) {
          return new Outcome.Running();
        }
        if (state.get().terminated().isPresent()) {
          return new Outcome.Ended(state.get().terminated().get().exitCode());
        }
        why = state.get().waiting().map(w -> w.reason() + w.message().map(m -> ": " + m).orElse("")).orElse("");
      }
      if (Instant.now().isAfter(until)) {
        throw new UnavailableException("timed out waiting for container " + container + " of pod " + pod
            + " to run" + (why.isEmpty() ? "" : " (" + why + ")"));
      }
      sleep();
    }
  }

  /// Attaches; returns the container's exit code once it ended, or -1 when the session ended first.
  static int attach(Context ctx, String pod, String container, boolean stdin, boolean tty) throws IOException {
    Streams io = ctx.io();
    if (stdin || tty) {
      io.err().println("If you don't see a command prompt, try pressing enter.");
    }
    Optional<int[]> terminal = tty ? Optional.of(LocalTerminal.size()) : Optional.empty();
    Map<String, Object> body = ExecStream.attachBody(container, stdin, terminal);
    try (LocalTerminal local = tty && stdin ? LocalTerminal.raw() : null) {
      return ExecStream.attach(ctx, pod, body, stdin ? Optional.of(io.in()) : Optional.empty(), io.out(), io.err());
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.peapod.base.error.InternalException("interrupted while waiting for the container", e);
    }
  }
}
