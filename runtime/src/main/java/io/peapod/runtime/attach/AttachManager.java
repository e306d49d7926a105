package io.peapod.runtime.attach;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.json.Json;
import io.peapod.runtime.RuntimeIds;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.TerminalSize;
import io.peapod.runtime.monitor.Conmon;
import io.peapod.runtime.monitor.ContainerMonitors;
import io.peapod.runtime.oci.StdioAnnotations;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/// Attach sessions: checks that the container runs and was made for what the client asks (input open,
/// a terminal), then connects to its monitor's attach socket (conmon's or the pod monitor's).
public final class AttachManager {
  /// The monitor ends the session as the container ends; its exit is recorded a moment later.
  private static final Duration EXIT_RECORD_WAIT = Duration.ofSeconds(3);
  private final RuntimeLayout layout;
  private final RuntimeStore store;
  private final ContainerMonitors monitor;
  private final Syscalls sys;

  public AttachManager(RuntimeLayout layout, RuntimeStore store, ContainerMonitors monitor, Syscalls sys) {
    this.layout = layout;
    this.store = store;
    this.monitor = monitor;
    this.sys = sys;
  }

  public ExecProcess attach(String id, boolean stdin, Optional<TerminalSize> tty) {
    ContainerStatus c = store.requireContainer(id);
    if (c.state() != ContainerState.RUNNING) {
      throw new FailedPreconditionException("container " + c.name() + " is " + c.state() + "; attach needs RUNNING");
    }
    Path bundle = layout.containerDir(id);
    ContainerStdio made = stdio(bundle, c.name());
    if (stdin && !made.stdin()) {
      throw new FailedPreconditionException("container " + c.name() + " was not made with stdin: true, so nothing"
          + " reads what would be typed; attach without -i, or set stdin: true in its spec");
    }
    if (!stdin && made.stdinOnce()) {
      throw new FailedPreconditionException("container " + c.name() + " has stdinOnce: its input closes when the first"
          + " attached session ends, so attaching without -i would end it; attach with -i");
    }
    if (tty.isPresent() && !made.tty()) {
      throw new FailedPreconditionException("container " + c.name() + " did not allocate a terminal (tty: true in"
          + " its spec); attach without -t");
    }
    int fd = sys.connectSeqPacket(Conmon.attachSocket(layout.socketDir(), RuntimeIds.shortId(id)));
    AttachedContainer session = new AttachedContainer(fd, sys, stdin, made.tty(), size -> monitor.resizeTerminal(bundle,
        size.rows(), size.columns()), () -> exitCode(id));
    try {
      tty.ifPresent(session::resize);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static ContainerStdio stdio(Path bundle, String name) {
    try {
      return StdioAnnotations.read(Json.parseNode(Files.readString(bundle.resolve("config.json"))));
    } catch (IOException e) {
      throw new InternalException("read the spec of container " + name + ": " + e.getMessage(), e);
    }
  }

  /// The container's exit code once its end is recorded; empty while it still runs (the client left).
  private OptionalInt exitCode(String id) {
    Instant until = Instant.now().plus(EXIT_RECORD_WAIT);
    while (true) {
      Optional<ContainerStatus> c = store.container(id);
      if (c.isEmpty()) {
        return OptionalInt.empty();
      }
      if (c.get().state() == ContainerState.EXITED) {
        return OptionalInt.of(c.get().exitCode());
      }
      if (Instant.now().isAfter(until)) {
        return OptionalInt.empty();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return OptionalInt.empty();
      }
    }
  }
}
