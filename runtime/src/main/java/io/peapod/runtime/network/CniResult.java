package io.peapod.runtime.network;

/// What CNI ADD gave the pod: its IPv4 address (without prefix length), the gateway, and the whole
/// result as JSON, kept so that DEL can pass it back as `prevResult`.
public record CniResult(String ip, String gateway, String json) {}
