/// Containers of a sandbox: creating one (its row, overlay rootfs, `config.json` and conmon), starting,
/// stopping with a grace period, removing, and every way its process can end
/// ([io.peapod.runtime.container.ContainerExits]). An ended container lets go of its mount, cgroup and
/// monitor at once and keeps its snapshot, log and record until it is removed.
package io.peapod.runtime.container;
