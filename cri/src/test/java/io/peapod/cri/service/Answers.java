package io.peapod.cri.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/// Collects what a service method answered: the messages, or the gRPC status it failed with.
final class Answers<T> implements StreamObserver<T> {
  final List<T> values = new ArrayList<>();
  Status error;
  boolean completed;

  @Override
  public void onNext(T value) {
    values.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = ((StatusRuntimeException) t).getStatus();
  }

  @Override
  public void onCompleted() {
    completed = true;
  }

  T value() {
    if (error != null) {
      throw new AssertionError("the call failed: " + error);
    }
    return values.getFirst();
  }
}
