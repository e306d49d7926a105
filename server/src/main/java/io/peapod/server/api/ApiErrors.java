package io.peapod.server.api;

import io.peapod.base.error.AlreadyExistsException;
import io.peapod.base.error.ErrorCode;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.error.ResourceExhaustedException;
import io.peapod.base.error.UnavailableException;
import io.peapod.base.error.UnimplementedException;
import io.peapod.base.api.v1.ErrorAnswer;
import io.peapod.base.json.Json;
import io.peapod.server.http.HttpResponse;
import java.lang.System.Logger;

/// The API's one error translation: a peapod error keeps its class and message; anything else is an
/// internal error whose stack trace is logged here, once.
public final class ApiErrors {
  private static final Logger LOG = System.getLogger(ApiErrors.class.getName());

  private ApiErrors() {}

  public static HttpResponse toResponse(Throwable t) {
    ErrorCode code;
    String message;
    if (t instanceof PeapodException p) {
      code = switch (p) {
        case NotFoundException e -> ErrorCode.NOT_FOUND;
        case AlreadyExistsException e -> ErrorCode.ALREADY_EXISTS;
        case InvalidArgumentException e -> ErrorCode.INVALID_ARGUMENT;
        case FailedPreconditionException e -> ErrorCode.FAILED_PRECONDITION;
        case ResourceExhaustedException e -> ErrorCode.RESOURCE_EXHAUSTED;
        case UnavailableException e -> ErrorCode.UNAVAILABLE;
        case UnimplementedException e -> ErrorCode.UNIMPLEMENTED;
        case InternalException e -> ErrorCode.INTERNAL;
      };
      message = p.getMessage();
      if (code == ErrorCode.INTERNAL) {
        LOG.log(Logger.Level.ERROR, message, t);
      } else {
        LOG.log(Logger.Level.DEBUG, "request failed: {0}", message);
      }
    } else if (t instanceof IllegalArgumentException) {
      // A value the request carried that a library refused (a path with a NUL byte, say): the request's fault.
      code = ErrorCode.INVALID_ARGUMENT;
      message = "bad request: " + t.getMessage();
      LOG.log(Logger.Level.DEBUG, "request refused: {0}", t.toString());
    } else {
      code = ErrorCode.INTERNAL;
      message = "internal error: " + t;
      LOG.log(Logger.Level.ERROR, "unexpected failure", t);
    }
    return HttpResponse.json(code.httpStatus(), Json.write(new ErrorAnswer(new ErrorAnswer.Body(code.wireName(),
        message))));
  }
}
