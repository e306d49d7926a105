/// Cgroup paths for pods and containers and their removal. Containers nest under their pod:
/// `/<parent>/pod<sandbox-id>/<container-id>` in every mounted hierarchy (each cgroup v1 controller,
/// and the cgroup2 mount, unified or hybrid). The OCI runtime creates and removes the container level;
/// peapod removes the pod level when the pod is gone.
package io.peapod.runtime.cgroup;
