/// Concurrency helpers shared by the layers: [io.peapod.base.concurrent.KeyedLock] serializes work per
/// object (a pod, a layer) instead of behind one global lock.
package io.peapod.base.concurrent;
