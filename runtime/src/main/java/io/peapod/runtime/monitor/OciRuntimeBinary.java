package io.peapod.runtime.monitor;

import java.nio.file.Path;

/// The OCI runtime chosen for this node and why, so the daemon's log can say so.
public record OciRuntimeBinary(String name, Path path, String reason) {}
