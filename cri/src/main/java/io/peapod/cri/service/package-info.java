/// The gRPC services themselves: each RPC maps its request, calls the runtime or the image store, and
/// turns peapod's typed errors into gRPC status codes.
package io.peapod.cri.service;
