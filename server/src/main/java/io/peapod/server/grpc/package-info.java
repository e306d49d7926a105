/// gRPC in the daemon (the only layer that imports it): [io.peapod.server.grpc.GrpcHealthChecks] answers
/// the kubelet's `grpc` probes with the standard health-checking protocol.
package io.peapod.server.grpc;
