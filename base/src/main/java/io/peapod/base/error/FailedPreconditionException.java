package io.peapod.base.error;

/// The object is in the wrong state for the request (a stopped container asked to exec, say).
public final class FailedPreconditionException extends PeapodException {
  public FailedPreconditionException(String message) {
    super(message, null);
  }

  public FailedPreconditionException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.FAILED_PRECONDITION;
  }
}
