package io.peapod.cri.mapping;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cri.v1.NamespaceMode;
import io.peapod.cri.v1.NamespaceOption;
import io.peapod.runtime.api.NamespaceOptions;

/// CRI's NamespaceOption and peapod's [NamespaceOptions]. CRI's zero value is POD, so a caller that
/// sends no options gets namespaces shared by the pod, PID included, as containerd gives them.
final class Namespaces {
  private Namespaces() {}

  static NamespaceOptions fromCri(NamespaceOption o, String where) {
    return new NamespaceOptions(mode(o.getNetwork(), where + ".network"), mode(o.getPid(), where + ".pid"),
        mode(o.getIpc(), where + ".ipc"));
  }

  static NamespaceOption toCri(NamespaceOptions o) {
    return NamespaceOption.newBuilder().setNetwork(mode(o.network())).setPid(mode(o.pid())).setIpc(mode(o.ipc()))
        .build();
  }

  private static io.peapod.runtime.api.NamespaceMode mode(NamespaceMode m, String where) {
    return switch (m) {
      case POD -> io.peapod.runtime.api.NamespaceMode.POD;
      case CONTAINER -> io.peapod.runtime.api.NamespaceMode.CONTAINER;
      case NODE -> io.peapod.runtime.api.NamespaceMode.NODE;
      case TARGET -> throw new InvalidArgumentException(where + ": TARGET is only for a container's pid namespace"
          + " (with target_id)");
      case UNRECOGNIZED -> throw new InvalidArgumentException(where + ": unknown namespace mode");
    };
  }

  private static NamespaceMode mode(io.peapod.runtime.api.NamespaceMode m) {
    return switch (m) {
      case POD -> NamespaceMode.POD;
      case CONTAINER -> NamespaceMode.CONTAINER;
      case NODE -> NamespaceMode.NODE;
    };
  }
}
