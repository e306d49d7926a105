package io.peapod.base.error;

/// The caller's input is wrong: a manifest, a name, a path, a flag. Nothing was changed.
public final class InvalidArgumentException extends PeapodException {
  public InvalidArgumentException(String message) {
    super(message, null);
  }

  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.INVALID_ARGUMENT;
  }
}
