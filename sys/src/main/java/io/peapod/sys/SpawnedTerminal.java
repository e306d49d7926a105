package io.peapod.sys;

/// A child started by [Syscalls#spawnOnTerminal]: its pid and the terminal's master descriptor.
public record SpawnedTerminal(int pid, int master) {}
