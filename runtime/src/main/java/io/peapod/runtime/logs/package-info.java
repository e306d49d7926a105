/// Container log files in kubelet's layout and CRI format, kept within a size and a number of files
/// ([io.peapod.runtime.logs.LogRotator]): conmon restarts a file that reached the size, and the rotator
/// gives the old one its rotated name and deletes the oldest beyond the limit.
package io.peapod.runtime.logs;
