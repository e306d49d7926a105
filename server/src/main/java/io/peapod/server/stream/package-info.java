/// The streaming server CRI's Exec, Attach and PortForward send callers to: loopback HTTP, one
/// single-use token per URL, WebSocket with Kubernetes' channel protocols for commands and ports.
package io.peapod.server.stream;
