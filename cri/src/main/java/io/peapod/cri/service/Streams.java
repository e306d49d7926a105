package io.peapod.cri.service;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cri.stream.StreamRequest;
import io.peapod.cri.stream.StreamingServer;
import io.peapod.cri.v1.AttachRequest;
import io.peapod.cri.v1.ExecRequest;
import io.peapod.cri.v1.PortForwardRequest;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxStatus;

/// Exec, Attach and PortForward: checked here, so a caller learns at once that a container is not
/// running, then handed to the streaming server, which returns the URL the caller connects to.
final class Streams {
  private final StreamingServer server;
  private final Ids ids;

  Streams(StreamingServer server, Ids ids) {
    this.server = server;
    this.ids = ids;
  }

  String exec(ExecRequest r) {
    ContainerStatus c = running(r.getContainerId());
    if (r.getCmdCount() == 0) {
      throw new InvalidArgumentException("ExecRequest.cmd is empty; give the command to run");
    }
    streams(r.getStdin(), r.getStdout(), r.getStderr(), r.getTty(), "ExecRequest");
    return server.register(new StreamRequest.Exec(c.id(), r.getCmdList(), r.getTty(), r.getStdin(), r.getStdout(),
        r.getStderr())).toString();
  }

  String attach(AttachRequest r) {
    ContainerStatus c = running(r.getContainerId());
    streams(r.getStdin(), r.getStdout(), r.getStderr(), r.getTty(), "AttachRequest");
    return server.register(new StreamRequest.Attach(c.id(), r.getTty(), r.getStdin(), r.getStdout(), r.getStderr()))
        .toString();
  }

  String portForward(PortForwardRequest r) {
    SandboxStatus s = ids.sandbox(r.getPodSandboxId());
    if (!s.ready()) {
      throw new FailedPreconditionException("pod sandbox " + s.id() + " is not ready");
    }
    for (int port : r.getPortList()) {
      if (port < 1 || port > 65535) {
        throw new InvalidArgumentException("PortForwardRequest.port " + port + " is not a TCP port (1-65535)");
      }
    }
    return server.register(new StreamRequest.PortForward(s.id(), r.getPortList())).toString();
  }

  private ContainerStatus running(String id) {
    ContainerStatus c = ids.container(id);
    if (c.state() != ContainerState.RUNNING) {
      throw new FailedPreconditionException("container " + c.id() + " is not running (" + c.state() + ")");
    }
    return c;
  }

  /// kubelet's rules: at least one stream, and no separate stderr on a terminal.
  private static void streams(boolean stdin, boolean stdout, boolean stderr, boolean tty, String what) {
    if (!stdin && !stdout && !stderr) {
      throw new InvalidArgumentException(what + ": one of stdin, stdout or stderr must be set");
    }
    if (tty && stderr) {
      throw new InvalidArgumentException(what + ": tty and stderr cannot both be set (a terminal has one output"
          + " stream)");
    }
  }
}
