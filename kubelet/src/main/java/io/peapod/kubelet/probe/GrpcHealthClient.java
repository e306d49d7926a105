package io.peapod.kubelet.probe;

import java.time.Duration;

/// The standard gRPC health-checking protocol (`grpc.health.v1.Health/Check`), as a `grpc` probe asks
/// it. The daemon's implementation uses grpc-java (kept out of the kubelet layer); a response other
/// than SERVING, or no answer within the timeout, is a failure.
public interface GrpcHealthClient {
  ProbeOutcome check(String host, int port, String service, Duration timeout);
}
