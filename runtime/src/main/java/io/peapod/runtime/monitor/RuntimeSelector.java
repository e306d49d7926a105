package io.peapod.runtime.monitor;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// Picks runc or crun. crun 1.8 refuses hybrid cgroup hosts (v1 controllers plus a cgroup2 mount that
/// holds none of them), so crun is used only on a unified (cgroup v2 only) host; elsewhere runc.
public final class RuntimeSelector {
  private static final List<Path> SEARCH = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"),
      Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/bin"));

  private RuntimeSelector() {}

  /// @param wanted "auto", "runc" or "crun"
  /// @param unifiedCgroups true when /sys/fs/cgroup itself is a cgroup2 mount
  public static OciRuntimeBinary select(String wanted, boolean unifiedCgroups) {
    Optional<Path> crun = find("crun");
    Optional<Path> runc = find("runc");
    return switch (wanted) {
      case "crun" -> {
        if (!unifiedCgroups) {
          throw new FailedPreconditionException("runtime crun was asked for, but this host mixes cgroup v1 and v2"
              + " (hybrid layout), which crun refuses; use --oci-runtime=runc or auto");
        }
        yield new OciRuntimeBinary("crun", crun.orElseThrow(() -> missing("crun")), "asked for crun");
      }
      case "runc" -> new OciRuntimeBinary("runc", runc.orElseThrow(() -> missing("runc")), "asked for runc");
      case "auto" -> {
        if (crun.isPresent() && unifiedCgroups) {
          yield new OciRuntimeBinary("crun", crun.get(), "crun found and the host has unified cgroup v2");
        }
        String why = crun.isPresent() ? "crun found but the host's cgroup layout is hybrid (v1 controllers), which"
            + " crun refuses; using runc" : "crun not installed; using runc";
        yield new OciRuntimeBinary("runc", runc.orElseThrow(() -> missing("runc")), why);
      }
      default -> throw new InvalidArgumentException("unknown OCI runtime '" + wanted + "': use auto, runc or crun");
    };
  }

  public static Optional<Path> find(String program) {
    return SEARCH.stream().map(d -> d.resolve(program)).filter(Files::isExecutable).findFirst();
  }

  private static FailedPreconditionException missing(String program) {
    return new FailedPreconditionException(program + " is not installed; install it (apt-get install " + program + ")");
  }
}
