package io.peapod.kubelet.sync;

import io.peapod.kubelet.event.EventRecorder.PodRef;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.pod.PodRecord;

/// The pod one sync is about: its record, its parsed spec, and the reference its events carry.
record SyncContext(PodRecord pod, PodManifest spec, PodRef ref) {
  String uid() {
    return pod.uid();
  }
}
