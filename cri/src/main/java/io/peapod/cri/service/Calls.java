package io.peapod.cri.service;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.peapod.base.error.PeapodException;
import java.lang.System.Logger;
import java.util.function.Supplier;

/// The boundary between gRPC and peapod: runs one unary call and answers it, turning peapod's typed
/// errors into the gRPC codes kubelet acts on (NotFound, InvalidArgument, ...), message unchanged.
final class Calls {
  private static final Logger LOG = System.getLogger(Calls.class.getName());

  static final int PAGE = 500;

  private Calls() {}

  static <T> void unary(String rpc, StreamObserver<T> out, Supplier<T> call) {
    T answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      out.onError(status(rpc, e).asRuntimeException());
      return;
    }
    out.onNext(answer);
    out.onCompleted();
  }

  /// A streamed list (the Stream* RPCs): the items in messages of at most [#PAGE] each.
  static <T, R> void pages(String rpc, StreamObserver<R> out, Supplier<java.util.List<T>> list,
      java.util.function.Function<java.util.List<T>, R> page) {
    try {
      java.util.List<T> items = list.get();
      for (int i = 0; i < items.size(); i += PAGE) {
        out.onNext(page.apply(items.subList(i, Math.min(items.size(), i + PAGE))));
      }
    } catch (RuntimeException e) {
      out.onError(status(rpc, e).asRuntimeException());
      return;
    }
    out.onCompleted();
  }

  static Status status(String rpc, RuntimeException e) {
    if (e instanceof io.grpc.StatusRuntimeException s) {
      return s.getStatus();
    }
    if (!(e instanceof PeapodException p)) {
      LOG.log(Logger.Level.ERROR, "CRI " + rpc + " failed unexpectedly", e);
      return Status.INTERNAL.withDescription(rpc + ": " + e).withCause(e);
    }
    Status s = switch (p.code()) {
      case NOT_FOUND -> Status.NOT_FOUND;
      case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case UNIMPLEMENTED -> Status.UNIMPLEMENTED;
      case INTERNAL -> Status.INTERNAL;
    };
    if (p.code() == io.peapod.base.error.ErrorCode.INTERNAL) {
      LOG.log(Logger.Level.WARNING, "CRI " + rpc + ": " + p.getMessage(), p);
    }
    return s.withDescription(p.getMessage());
  }
}
