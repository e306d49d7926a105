package io.peapod.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.peapod.kubelet.probe.GrpcHealthClient;
import io.peapod.kubelet.probe.ProbeOutcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/// The `grpc` probe through grpc-java: one plaintext channel per check (kubelet dials per probe too),
/// `grpc.health.v1.Health/Check` with the probe's service, and SERVING as the only success.
public final class GrpcHealthChecks implements GrpcHealthClient {
  @Override
  public ProbeOutcome check(String host, int port, String service, Duration timeout) {
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
        .userAgent("kube-probe/peapod").build();
    try {
      HealthCheckResponse r = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build());
      return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? ProbeOutcome.OK
          : ProbeOutcome.failure("service unhealthy (responded with \"" + r.getStatus() + "\")");
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      return ProbeOutcome.failure(s.getCode() == Status.Code.DEADLINE_EXCEEDED
          ? "timeout: health rpc did not complete within " + timeout.toMillis() + "ms"
          : "error: health rpc probe failed: " + s.getCode() + (s.getDescription() == null ? ""
              : ": " + s.getDescription()));
    } finally {
      channel.shutdownNow();
    }
  }
}
