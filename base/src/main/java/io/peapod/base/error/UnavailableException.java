package io.peapod.base.error;

/// A service peapod needs (the daemon, a registry, a plugin) cannot be reached now; retrying may help.
public final class UnavailableException extends PeapodException {
  public UnavailableException(String message) {
    super(message, null);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.UNAVAILABLE;
  }
}
