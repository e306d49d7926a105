package io.peapod.cli.command;

import java.io.InputStream;
import java.io.PrintStream;

/// The CLI's standard streams, passed in so tests can run commands in-process.
public record Streams(InputStream in, PrintStream out, PrintStream err) {}
