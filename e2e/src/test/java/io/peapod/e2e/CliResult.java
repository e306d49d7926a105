package io.peapod.e2e;

/// What one in-process CLI run printed and returned.
record CliResult(int exitCode, String out, String err) {
  CliResult ok() {
    if (exitCode != 0) {
      throw new AssertionError("peapod exited " + exitCode + "\nstdout: " + out + "\nstderr: " + err);
    }
    return this;
  }
}
