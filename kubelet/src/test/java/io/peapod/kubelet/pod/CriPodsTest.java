package io.peapod.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peapod.runtime.api.DnsConfig;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.testing.FakeRuntime;
import io.peapod.testing.ManualClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CriPodsTest {
  private final ManualClock clock = new ManualClock();
  private final FakeRuntime fake = new FakeRuntime(clock);
  private final AtomicInteger containerListings = new AtomicInteger();
  private final CriPods pods = new CriPods(counting(fake));

  @Test
  void findLooksAtTheNamedPodsNewestSandboxOnly() {
    for (int i = 0; i < 20; i++) {
      fake.runPodSandbox(sandbox("web-" + i, "default", Map.of()));
    }
    fake.runPodSandbox(sandbox("web-7", "default", Map.of()));
    clock.advance(Duration.ofSeconds(1));
    String newest = fake.runPodSandbox(sandbox("web-7", "default", Map.of()));
    fake.runPodSandbox(sandbox("web-7", "other", Map.of()));

    Optional<PodView> found = pods.find("default", "web-7");

    assertEquals(Optional.of(newest), found.map(PodView::sandboxId));
    assertEquals(1, containerListings.get(), "the containers of one sandbox are listed, not of every CRI pod's");
  }

  @Test
  void peapodsOwnSandboxesAreNotCriPods() {
    fake.runPodSandbox(sandbox("web", "default", Map.of(PodSandboxConfig.MANAGED_BY, "peapod")));

    assertEquals(Optional.empty(), pods.find("default", "web"));
    assertEquals(List.of(), pods.list(Optional.empty()));
  }

  private RuntimeService counting(RuntimeService runtime) {
    return (RuntimeService) Proxy.newProxyInstance(RuntimeService.class.getClassLoader(),
        new Class<?>[] {RuntimeService.class}, (proxy, method, args) -> {
          if (method.getName().equals("listContainers")) {
            containerListings.incrementAndGet();
          }
          try {
            return method.invoke(runtime, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static PodSandboxConfig sandbox(String name, String namespace, Map<String, String> labels) {
    return new PodSandboxConfig(name, namespace, "uid-" + name, 0, name, "/var/log/pods/" + name,
        new NamespaceOptions(NamespaceMode.POD, NamespaceMode.CONTAINER, NamespaceMode.POD), List.of(),
        new DnsConfig(List.of(), List.of(), List.of()), labels, Map.of(), "", new Resources(2, 0, 0, 0, 0), Map.of());
  }
}
