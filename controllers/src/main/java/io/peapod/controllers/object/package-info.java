/// Workload objects as stored: kind, identity, the applied object, its typed spec, status, and the
/// `workloads` table that keeps them across daemon restarts.
package io.peapod.controllers.object;
