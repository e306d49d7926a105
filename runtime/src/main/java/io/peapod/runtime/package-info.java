/// The node's container runtime: [io.peapod.runtime.ConmonRuntime] implements the CRI-shaped
/// [io.peapod.runtime.api.RuntimeService] with conmon and runc (or crun), overlay snapshots, cgroups,
/// pinned network namespaces and CNI. [io.peapod.runtime.RuntimeLayout] says where everything lives.
package io.peapod.runtime;
