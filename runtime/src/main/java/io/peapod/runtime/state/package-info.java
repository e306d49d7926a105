/// The runtime's durable records, in the state database. Schema v2 (owner `runtime`):
/// `sandboxes(id, name, namespace, uid, config JSON, state, created, netns, pause_pid, ip)` and
/// `containers(id, sandbox_id, name, attempt, image, image_id, image_manifest, state, created, started,
/// finished, exit_code, reason, message, pid, log_path, labels JSON)`. A container row exists from
/// CreateContainer to RemoveContainer; its state moves only forward (see ContainerState). v2 added
/// `sandboxes.cni_result`, the CNI ADD result that DEL is given back.
package io.peapod.runtime.state;
