/// Restarting containers as kubelet does: [io.peapod.kubelet.restart.RestartPolicy] says whether a
/// container that ended runs again, [io.peapod.kubelet.restart.CrashLoopBackOff] how long it waits
/// first (10 s doubling to 5 minutes, kept across daemon restarts).
package io.peapod.kubelet.restart;
