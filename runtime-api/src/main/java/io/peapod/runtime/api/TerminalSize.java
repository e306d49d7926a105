package io.peapod.runtime.api;

/// A terminal's size in character cells; 0 means unknown.
public record TerminalSize(int rows, int columns) {}
