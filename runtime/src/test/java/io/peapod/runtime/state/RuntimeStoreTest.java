package io.peapod.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peapod.runtime.api.DnsConfig;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.state.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The sandbox rows as the runtime's events read them: a container event names its pod by the sandbox's
/// pod uid, which a pooled sandbox lacks until it is adopted.
class RuntimeStoreTest {
  @TempDir
  Path tmp;

  @Test
  void aSandboxsPodUid_isThePodsOnceAdopted_andEmptyWhilePooled() {
    try (Database db = Database.open(tmp.resolve("db"))) {
      RuntimeStore store = new RuntimeStore(db);
      store.insertSandbox(new SandboxStatus("s1", config("pooled", ""), SandboxState.READY, Instant.now(), "", 0, ""));
      assertEquals(Optional.of(""), store.sandboxPodUid("s1"));

      store.adoptSandbox("s1", config("web", "uid-1"), Instant.now());
      assertEquals(Optional.of("uid-1"), store.sandboxPodUid("s1"));
      assertEquals(store.requireSandbox("s1").podUid(), store.sandboxPodUid("s1").orElseThrow());
      assertEquals(Optional.empty(), store.sandboxPodUid("missing"));
    }
  }

  private static PodSandboxConfig config(String name, String uid) {
    return new PodSandboxConfig(name, "default", uid, 0, name, "", new NamespaceOptions(NamespaceMode.POD,
        NamespaceMode.POD, NamespaceMode.POD), List.of(), new DnsConfig(List.of(), List.of(), List.of()), Map.of(),
        Map.of(), "kubepods", new Resources(0, 0, 0, 0, 0), Map.of());
  }
}
