package io.peapod.runtime;

import io.peapod.runtime.api.ContainerEvent;
import io.peapod.runtime.state.RuntimeStore;
import java.lang.System.Logger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/// The runtime's lifecycle events and who listens (CRI's GetContainerEvents, the kubelet's PLEG). A
/// listener runs on the thread that made the change; a failing listener is logged, never propagated.
public final class RuntimeEvents {
  private static final Logger LOG = System.getLogger(RuntimeEvents.class.getName());
  private final List<Consumer<ContainerEvent>> listeners = new CopyOnWriteArrayList<>();
  private final RuntimeStore store;

  public RuntimeEvents(RuntimeStore store) {
    this.store = store;
  }

  public AutoCloseable subscribe(Consumer<ContainerEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /// An event of the sandbox itself.
  public void sandbox(ContainerEvent.Type type, String sandboxId, String podUid) {
    if (podUid.isEmpty()) {
      // A pooled sandbox: it belongs to no pod yet, so there is nobody to tell.
      return;
    }
    emit(new ContainerEvent(type, sandboxId, sandboxId, podUid, Instant.now()));
  }

  /// An event of a container of the sandbox.
  public void container(ContainerEvent.Type type, String containerId, String sandboxId) {
    String uid = store.sandboxPodUid(sandboxId).orElse("");
    emit(new ContainerEvent(type, containerId, sandboxId, uid, Instant.now()));
  }

  private void emit(ContainerEvent e) {
    for (Consumer<ContainerEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        LOG.log(Logger.Level.ERROR, "event listener failed on " + e, ex);
      }
    }
  }
}
