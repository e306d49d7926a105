package io.peapod.base.error;

import java.util.Locale;

/// The wire names of the error classes; they line up with gRPC status codes.
public enum ErrorCode {
  NOT_FOUND(404, 3),
  ALREADY_EXISTS(409, 4),
  INVALID_ARGUMENT(400, 2),
  FAILED_PRECONDITION(412, 5),
  RESOURCE_EXHAUSTED(507, 6),
  UNAVAILABLE(503, 7),
  UNIMPLEMENTED(501, 8),
  INTERNAL(500, 1);

  private final int httpStatus;
  private final int exitCode;

  ErrorCode(int httpStatus, int exitCode) {
    this.httpStatus = httpStatus;
    this.exitCode = exitCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /// The CLI's process exit code for this class of error.
  public int exitCode() {
    return exitCode;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ErrorCode parse(String wireName) {
    for (ErrorCode c : values()) {
      if (c.wireName().equals(wireName)) {
        return c;
      }
    }
    return INTERNAL;
  }
}
