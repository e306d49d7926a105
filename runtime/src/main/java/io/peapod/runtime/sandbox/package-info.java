/// Pod sandboxes: a pinned network namespace set up by CNI, a /dev/shm tmpfs, the pod files every
/// container mounts (hostname, resolv.conf) and the pause container holding the IPC, UTS and PID
/// namespaces ([io.peapod.runtime.sandbox.PauseContainer]: catatonit, or a sandbox image).
package io.peapod.runtime.sandbox;
