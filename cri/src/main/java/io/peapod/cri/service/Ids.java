package io.peapod.cri.service;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/// Finds a sandbox or container by full id or by a unique prefix (crictl prints 13-character ids and
/// passes them back as given).
final class Ids {
  /// Runtime ids are 64 hex digits, as containerd's.
  private static final int FULL_ID = 64;
  private final RuntimeService runtime;

  Ids(RuntimeService runtime) {
    this.runtime = runtime;
  }

  SandboxStatus sandbox(String id) {
    return sandboxIfAny(id).orElseThrow(() -> new NotFoundException("pod sandbox " + id + " not found"));
  }

  ContainerStatus container(String id) {
    return containerIfAny(id).orElseThrow(() -> new NotFoundException("container " + id + " not found"));
  }

  /// The sandbox, or empty when it is gone (stop and remove then succeed, as CRI asks). A full id is
  /// looked up directly; only a prefix costs a listing.
  Optional<SandboxStatus> sandboxIfAny(String id) {
    if (id.length() == FULL_ID) {
      try {
        return Optional.of(runtime.podSandboxStatus(id));
      } catch (NotFoundException gone) {
        return Optional.empty();
      }
    }
    return find(id, "pod sandbox", runtime.listPodSandboxes(Optional.empty()), SandboxStatus::id);
  }

  Optional<ContainerStatus> containerIfAny(String id) {
    if (id.length() == FULL_ID) {
      try {
        return Optional.of(runtime.containerStatus(id));
      } catch (NotFoundException gone) {
        return Optional.empty();
      }
    }
    return find(id, "container", runtime.listContainers(Optional.empty()), ContainerStatus::id);
  }

  private static <T> Optional<T> find(String id, String what, List<T> all, Function<T, String> idOf) {
    if (id.isEmpty()) {
      throw new InvalidArgumentException(what + " id is empty");
    }
    List<T> matches = all.stream().filter(t -> idOf.apply(t).startsWith(id)).toList();
    Optional<T> exact = matches.stream().filter(t -> idOf.apply(t).equals(id)).findFirst();
    if (exact.isPresent() || matches.size() <= 1) {
      return exact.or(() -> matches.stream().findFirst());
    }
    throw new InvalidArgumentException(what + " id prefix " + id + " is ambiguous: it matches " + matches.size()
        + " ids; give more of it");
  }
}
