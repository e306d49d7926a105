package io.peapod.base.error;

/// The root of peapod's errors. Sealed so that every boundary that translates errors (the gRPC
/// status mapping, the HTTP API, the CLI's exit codes) switches over a closed set.
public sealed abstract class PeapodException extends RuntimeException
    permits NotFoundException, AlreadyExistsException, InvalidArgumentException,
        FailedPreconditionException, ResourceExhaustedException, UnavailableException,
        UnimplementedException, InternalException {

  protected PeapodException(String message, Throwable cause) {
    super(message, cause);
  }

  /// The error class as a stable, lowercase word (`not_found`, `invalid_argument`, ...).
  public abstract ErrorCode code();

  /// Rebuilds an error from its wire form: the inverse of [#code()] plus [#getMessage()].
  public static PeapodException of(ErrorCode code, String message) {
    return switch (code) {
      case NOT_FOUND -> new NotFoundException(message);
      case ALREADY_EXISTS -> new AlreadyExistsException(message);
      case INVALID_ARGUMENT -> new InvalidArgumentException(message);
      case FAILED_PRECONDITION -> new FailedPreconditionException(message);
      case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(message, null);
      case UNAVAILABLE -> new UnavailableException(message, null);
      case UNIMPLEMENTED -> new UnimplementedException(message);
      case INTERNAL -> new InternalException(message, null);
    };
  }
}
