package io.peapod.runtime.api;

/// CRI's PortMapping: a container port published on the node (`hostPort`), through the CNI portmap plugin.
public record PortMapping(String protocol, int containerPort, int hostPort, String hostIp) {}
