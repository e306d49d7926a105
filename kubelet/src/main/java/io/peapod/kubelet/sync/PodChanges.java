package io.peapod.kubelet.sync;

import io.peapod.kubelet.pod.PodView;
import java.lang.System.Logger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/// Tells listeners (`get pods -w`, `apply --wait`, the web page) when a pod's view changes or the pod is
/// gone. A view is told only when what kubectl shows of it changed.
public final class PodChanges {
  private static final Logger LOG = System.getLogger(PodChanges.class.getName());

  /// A pod that was added or changed (`pod` its new view), or deleted (`pod` its last view; `leftovers`
  /// what a forced deletion could not clean up).
  public record Change(Type type, PodView pod, List<String> leftovers) {
    public enum Type { ADDED, MODIFIED, DELETED }

    public Change {
      leftovers = List.copyOf(leftovers);
    }
  }

  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, PodView> last = new ConcurrentHashMap<>();

  public AutoCloseable subscribe(Consumer<Change> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void changed(PodView view) {
    PodView before = last.put(view.uid(), view);
    if (before != null && same(before, view)) {
      return;
    }
    tell(new Change(before == null ? Change.Type.ADDED : Change.Type.MODIFIED, view, List.of()));
  }

  void deleted(String uid, List<String> leftovers) {
    PodView before = last.remove(uid);
    if (before != null) {
      tell(new Change(Change.Type.DELETED, before, leftovers));
    }
  }

  private static boolean same(PodView a, PodView b) {
    return a.status().equals(b.status()) && a.phase().equals(b.phase()) && a.ready() == b.ready()
        && a.restarts() == b.restarts() && a.ip().equals(b.ip()) && Objects.equals(a.conditions(), b.conditions())
        && a.containers().equals(b.containers()) && a.initContainers().equals(b.initContainers())
        && a.deletionTimestamp().equals(b.deletionTimestamp()) && a.labels().equals(b.labels())
        && a.annotations().equals(b.annotations()) && a.ownerReferences().equals(b.ownerReferences());
  }

  private void tell(Change c) {
    for (Consumer<Change> l : listeners) {
      try {
        l.accept(c);
      } catch (RuntimeException e) {
        LOG.log(Logger.Level.WARNING, "pod watcher failed", e);
      }
    }
  }
}
