/// The kubelet's sync loop: a serial worker per pod ([PodWorkers]) that compares the spec with what the
/// runtime reports and acts (kubelet's `computePodActions` in [ActionPlanner], carried out by [PodSyncer]).
package io.peapod.kubelet.sync;
