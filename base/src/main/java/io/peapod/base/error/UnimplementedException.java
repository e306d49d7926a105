package io.peapod.base.error;

/// The request is valid but peapod does not do it (yet).
public final class UnimplementedException extends PeapodException {
  public UnimplementedException(String message) {
    super(message, null);
  }

  public UnimplementedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.UNIMPLEMENTED;
  }
}
