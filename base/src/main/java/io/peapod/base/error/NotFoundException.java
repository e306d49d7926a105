package io.peapod.base.error;

/// The named object (pod, container, image, blob) does not exist.
public final class NotFoundException extends PeapodException {
  public NotFoundException(String message) {
    super(message, null);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.NOT_FOUND;
  }
}
