package io.peapod.base.error;

/// An object with that name or key exists already.
public final class AlreadyExistsException extends PeapodException {
  public AlreadyExistsException(String message) {
    super(message, null);
  }

  public AlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.ALREADY_EXISTS;
  }
}
