/// CRI v1 over gRPC: the daemon's `runtime.v1.RuntimeService` and `runtime.v1.ImageService` on a unix
/// socket. Proto types stay in this layer; below it is peapod's own runtime interface.
package io.peapod.cri;
