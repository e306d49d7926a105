/// A pod's status as kubelet reports it and kubectl shows it ([io.peapod.kubelet.status.PodStatusBuilder]):
/// container statuses with their last termination, the phase, the conditions with transition times, and
/// the STATUS, READY and RESTARTS columns; and why containers wait ([io.peapod.kubelet.status.PodWaits]).
package io.peapod.kubelet.status;
