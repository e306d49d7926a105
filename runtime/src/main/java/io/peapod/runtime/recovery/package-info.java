/// Crash recovery: [io.peapod.runtime.recovery.Reconciler] makes the node and the state database agree
/// when the runtime starts, undoing interrupted creates, recording exits that happened while the
/// daemon was down, and removing what no record owns (OCI runtime containers, mounts, netns pins,
/// cgroups, CNI addresses, files).
package io.peapod.runtime.recovery;
