package io.peapod.runtime.api;

/// CRI's `stdin`, `stdin_once` and `tty` of a container: whether its monitor keeps its standard input
/// open for [RuntimeService#attach], closes that input when the first attached client leaves, and runs
/// it on a terminal (then its output is one stream).
public record ContainerStdio(boolean stdin, boolean stdinOnce, boolean tty) {
  public static final ContainerStdio NONE = new ContainerStdio(false, false, false);
}
