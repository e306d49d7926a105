/// Fakes every layer's tests share, so the logic of a layer is tested without root: a
/// [io.peapod.testing.FakeRuntime] (the CRI-shaped runtime in memory, with exits and failures on
/// demand), [io.peapod.testing.RecordingSyscalls] (mounts recorded, real path resolution) and a
/// [io.peapod.testing.ManualClock] that is also the timers.
package io.peapod.testing;
