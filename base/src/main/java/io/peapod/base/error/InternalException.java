package io.peapod.base.error;

/// A fault inside peapod or a program it runs (runc, conmon, a CNI plugin) that the caller cannot fix.
public final class InternalException extends PeapodException {
  public InternalException(String message) {
    super(message, null);
  }

  public InternalException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.INTERNAL;
  }
}
