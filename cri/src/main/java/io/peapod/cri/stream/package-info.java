/// What CRI's Exec, Attach and PortForward hand over to a streaming server: the requests, and the
/// interface through which that server issues a single-use URL for each.
package io.peapod.cri.stream;
