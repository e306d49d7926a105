/// Events about pods, as kubelet records them and `kubectl describe` and `get events` show them:
/// [io.peapod.kubelet.event.EventStore] keeps them in the state database for an hour, counting repeats.
package io.peapod.kubelet.event;
