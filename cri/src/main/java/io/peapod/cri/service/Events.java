package io.peapod.cri.service;

import io.grpc.stub.ServerCallStreamObserver;
import io.peapod.base.error.NotFoundException;
import io.peapod.cri.mapping.Statuses;
import io.peapod.cri.v1.ContainerEventResponse;
import io.peapod.cri.v1.ContainerEventType;
import io.peapod.runtime.api.ContainerEvent;
import io.peapod.runtime.api.RuntimeService;
import java.lang.System.Logger;
import java.util.Optional;

/// `GetContainerEvents`: every runtime event from the moment of the call, with the sandbox's status and
/// its containers' statuses as they are when the event is sent (kubelet's evented PLEG reads them).
/// The subscription ends when the caller cancels.
final class Events {
  private static final Logger LOG = System.getLogger(Events.class.getName());
  /// Events a client may leave unread before its stream is ended.
  static final int MAX_UNREAD = 10_000;
  private final RuntimeService runtime;

  Events(RuntimeService runtime) {
    this.runtime = runtime;
  }

  void stream(ServerCallStreamObserver<ContainerEventResponse> out) {
    java.util.concurrent.atomic.AtomicInteger unread = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<AutoCloseable> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    AutoCloseable subscription = runtime.subscribe(e -> {
      ContainerEventResponse r = response(e);
      synchronized (out) {
        if (out.isCancelled() || unread.get() < 0) {
          return;
        }
        // gRPC buffers what the client has not read; a client that stops reading is let go rather
        // than let the daemon's memory grow.
        if (out.isReady()) {
          unread.set(0);
        } else if (unread.incrementAndGet() > MAX_UNREAD) {
          unread.set(-1);
          out.onError(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("GetContainerEvents: the client read none"
              + " of the last " + MAX_UNREAD + " events; subscribe again").asRuntimeException());
          if (self.get() != null) {
            close(self.get());
          }
          return;
        }
        out.onNext(r);
      }
    });
    self.set(subscription);
    out.setOnCancelHandler(() -> close(subscription));
  }

  private static void close(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.log(Logger.Level.WARNING, "end an event subscription: " + e.getMessage(), e);
    }
  }

  private ContainerEventResponse response(ContainerEvent e) {
    ContainerEventResponse.Builder b = ContainerEventResponse.newBuilder().setContainerId(e.containerId())
        .setContainerEventType(switch (e.type()) {
          case CREATED -> ContainerEventType.CONTAINER_CREATED_EVENT;
          case STARTED -> ContainerEventType.CONTAINER_STARTED_EVENT;
          case STOPPED -> ContainerEventType.CONTAINER_STOPPED_EVENT;
          case DELETED -> ContainerEventType.CONTAINER_DELETED_EVENT;
        })
        .setCreatedAt(e.at().getEpochSecond() * 1_000_000_000L + e.at().getNano());
    try {
      b.setPodSandboxStatus(Statuses.sandboxStatus(runtime.podSandboxStatus(e.sandboxId())));
      runtime.listContainers(Optional.of(e.sandboxId()))
          .forEach(c -> b.addContainersStatuses(Statuses.containerStatus(c)));
    } catch (NotFoundException gone) {
      // A deleted sandbox has no status left to send; the event itself still says what happened.
    }
    return b.build();
  }
}
