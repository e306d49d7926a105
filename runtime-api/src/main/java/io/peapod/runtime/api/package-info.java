/// The runtime as its callers see it: the CRI-shaped [io.peapod.runtime.api.RuntimeService] and its
/// records (sandbox and container configs, namespace options POD / CONTAINER / NODE, resources,
/// security context, statuses with attempt counts, lifecycle events). The kubelet layer and the CRI
/// server compile against this module only; `peapod-runtime` implements it.
package io.peapod.runtime.api;
