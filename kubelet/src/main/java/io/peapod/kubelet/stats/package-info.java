/// What pods use now, from their containers' cgroups through the runtime: `kubectl top`'s CPU rate and
/// memory working set.
package io.peapod.kubelet.stats;
