/// Linux as peapod's daemon needs it: the [io.peapod.sys.Syscalls] interface (mount, namespaces,
/// process spawning with inherited descriptors, device nodes, xattrs) and the records and flags it takes.
/// Only `io.peapod.sys.internal` touches `java.lang.foreign`; everything above calls this interface.
package io.peapod.sys;
