package io.peapod.base.error;

/// The node ran out of something: disk space, file descriptors, addresses.
public final class ResourceExhaustedException extends PeapodException {
  public ResourceExhaustedException(String message) {
    super(message, null);
  }

  public ResourceExhaustedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.RESOURCE_EXHAUSTED;
  }
}
