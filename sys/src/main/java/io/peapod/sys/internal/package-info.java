/// The FFM (`java.lang.foreign`) binding of [io.peapod.sys.Syscalls] to glibc. Nothing outside
/// `peapod-sys` may use this package; errno is captured with `Linker.Option.captureCallState`.
package io.peapod.sys.internal;
