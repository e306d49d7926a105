/// The runtime's durable records, in the state database. Schema v3 (owner `runtime`):
/// `sandboxes(id, name, namespace, uid, config JSON, state, created, netns, pause_pid, ip, cni_result,
/// creating)` and `containers(id, sandbox_id, name, attempt, image, image_id, image_manifest, state,
/// created, started, finished, exit_code, reason, message, pid, log_path, labels JSON, creating)`.
/// A row is written before anything else of its sandbox or container exists, with `creating = 1`
/// until the create has finished; so after a crash the runtime knows what to undo. A container's state
/// moves only forward (see ContainerState). v2 added `sandboxes.cni_result`, the CNI ADD result that
/// DEL is given back; v3 the `creating` flags and indexes by pod uid and sandbox.
package io.peapod.runtime.state;
