/// The runtime's durable records, in the state database. Schema v1 (owner `runtime`):
/// `sandboxes(id, name, namespace, uid, config JSON, state, created, netns, pause_pid, ip)` and
/// `containers(id, sandbox_id, name, attempt, image, image_id, image_manifest, state, created, started,
/// finished, exit_code, reason, message, pid, log_path, labels JSON)`. A container row exists from
/// CreateContainer to RemoveContainer; its state moves only forward (see ContainerState).
package io.peapod.runtime.state;
