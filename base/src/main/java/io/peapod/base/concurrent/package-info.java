/// Concurrency helpers shared by the layers: [io.peapod.base.concurrent.KeyedLock] serializes work per
/// object (a pod, a layer) instead of behind one global lock; [io.peapod.base.concurrent.BackOff] spaces
/// out retries per object; [io.peapod.base.concurrent.Timers] runs short tasks later, on a clock tests
/// can drive by hand.
package io.peapod.base.concurrent;
