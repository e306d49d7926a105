/// Pods as the kubelet keeps them: the `pods` table ([io.peapod.kubelet.pod.PodStore], owner `kubelet`,
/// schema v3) with each pod's spec, deletion mark, source and [io.peapod.kubelet.pod.StoredStatus], and
/// the read model `get` and `describe` show ([io.peapod.kubelet.pod.PodView]).
package io.peapod.kubelet.pod;
