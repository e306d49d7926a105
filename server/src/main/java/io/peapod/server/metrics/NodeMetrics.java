package io.peapod.server.metrics;

import io.peapod.base.metrics.Histogram;
import io.peapod.base.metrics.Timings;
import io.peapod.kubelet.sync.PodChanges;
import io.peapod.runtime.api.RuntimeService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/// The histograms `/metrics` shows besides the pods' state, named after kubelet's where kubelet has one:
/// pod start (created to Running), runtime calls and CNI operations by type, image pulls (seconds, and
/// the bytes fetched). Series are per operation, never per pod, so memory stays flat with the pod count.
public final class NodeMetrics {
  private static final double[] CALL_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  private final Histogram podStart = new Histogram("peapod_pod_start_duration_seconds",
      "From a pod's creation to its Running phase.", "", 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600);
  private final Histogram runtimeCalls = new Histogram("peapod_runtime_operations_duration_seconds",
      "Calls of the container runtime (CRI's RuntimeService) by operation.", "operation_type", CALL_SECONDS);
  private final Histogram cni = new Histogram("peapod_cni_operations_duration_seconds",
      "CNI ADD and DEL of a pod's network, the whole plugin chain.", "operation_type", CALL_SECONDS);
  private final Histogram pulls = new Histogram("peapod_image_pull_duration_seconds", "Image pulls that succeeded.",
      "", 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600);
  private final LongAdder pulledBytes = new LongAdder();
  private final InstantSource clock;

  public NodeMetrics(InstantSource clock) {
    this.clock = clock;
  }

  public Timings cni() {
    return cni.timings();
  }

  /// Hears every pull of the image store.
  public void pulled(long bytes, Duration took) {
    pulledBytes.add(bytes);
    pulls.observe(took.toNanos() / 1e9);
  }

  /// The runtime with each call timed, as kubelet times its CRI calls (`run_pod_sandbox`, `exec_sync`).
  public RuntimeService timed(RuntimeService runtime) {
    Timings t = runtimeCalls.timings();
    return (RuntimeService) Proxy.newProxyInstance(RuntimeService.class.getClassLoader(),
        new Class<?>[] {RuntimeService.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(runtime, args);
          }
          long start = System.nanoTime();
          try {
            return method.invoke(runtime, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            t.observe(snake(method.getName()), Duration.ofNanos(System.nanoTime() - start));
          }
        });
  }

  /// A listener of pod changes that times each pod from its creation to its first Running phase seen
  /// after Pending (a pod already running when the daemon starts is not counted again).
  public Consumer<PodChanges.Change> podStarts() {
    Map<String, String> phases = new ConcurrentHashMap<>();
    return c -> {
      String uid = c.pod().uid();
      if (c.type() == PodChanges.Change.Type.DELETED) {
        phases.remove(uid);
        return;
      }
      String before = phases.put(uid, c.pod().phase());
      if ("Pending".equals(before) && c.pod().phase().equals("Running")) {
        Instant now = clock.instant();
        podStart.observe(Duration.between(c.pod().created(), now).toNanos() / 1e9);
      }
    };
  }

  public String render() {
    return podStart.render() + runtimeCalls.render() + cni.render() + pulls.render()
        + "# HELP peapod_image_pull_bytes_total Layer bytes fetched from registries.\n"
        + "# TYPE peapod_image_pull_bytes_total counter\npeapod_image_pull_bytes_total " + pulledBytes.sum() + "\n";
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
