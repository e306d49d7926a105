/// OCI runtime spec generation (`config.json`, runtime-spec v1.0.2): which namespaces are new and which
/// are joined by path, mounts, cgroups path, user, capabilities, masked and read-only paths, rlimits
/// and oom_score_adj clamped to what this host lets the daemon grant. Pure functions of records.
package io.peapod.runtime.oci;
