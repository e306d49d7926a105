/// Read-only views of `/proc`: which namespaces a process is in (by inode), the process's resource
/// limits and oom score, and the mount table. Tests use these to ask the kernel rather than peapod.
package io.peapod.sys.proc;
