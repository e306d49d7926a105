package io.peapod.kubelet.lifecycle;

import io.peapod.kubelet.manifest.Handler;
import io.peapod.kubelet.probe.ProbeOutcome;
import io.peapod.kubelet.probe.Prober;
import java.time.Duration;
import java.util.Optional;

/// Runs a container's lifecycle hooks (`postStart`, `preStop`) as kubelet does: `exec` in the container,
/// `httpGet` from the node into the pod, or `sleep`. A hook is bounded by `timeout` (for preStop, the
/// grace period).
public final class HookRunner {
  /// Sleeps, interruptibly; tests pass one that only records.
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Prober prober;
  private final Sleeper sleeper;

  public HookRunner(Prober prober, Sleeper sleeper) {
    this.prober = prober;
    this.sleeper = sleeper;
  }

  /// Runs the hook; empty on success, else what went wrong.
  public Optional<String> run(Handler hook, Prober.Target target, Duration timeout) {
    if (hook instanceof Handler.Sleep s) {
      Duration d = Duration.ofSeconds(s.seconds());
      try {
        sleeper.sleep(d.compareTo(timeout) > 0 ? timeout : d);
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("sleep hook interrupted");
      }
    }
    ProbeOutcome o = prober.run(hook, target, timeout);
    return o.success() ? Optional.empty() : Optional.of(o.message());
  }
}
