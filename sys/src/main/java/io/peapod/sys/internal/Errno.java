package io.peapod.sys.internal;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.error.ResourceExhaustedException;

/// Turns a failed call's errno into the matching peapod error class with the call and path named.
final class Errno {
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EINTR = 4;
  static final int EEXIST = 17;
  static final int EBUSY = 16;
  static final int EINVAL = 22;
  static final int ENOSPC = 28;
  static final int ERANGE = 34;
  static final int ENODATA = 61;
  static final int ENOTSUP = 95;
  static final int EDQUOT = 122;
  static final int ENOTCONN = 107;
  static final int ECONNREFUSED = 111;

  private Errno() {}

  static PeapodException failure(String call, String subject, int errno, String description) {
    String msg = call + " " + subject + ": " + name(errno) + " (" + description + ")";
    return switch (errno) {
      case ENOENT -> new NotFoundException(msg);
      case ENOSPC, EDQUOT -> new ResourceExhaustedException(msg, null);
      case EBUSY, EEXIST, ECONNREFUSED -> new FailedPreconditionException(msg);
      default -> new InternalException(msg, null);
    };
  }

  static String name(int errno) {
    return switch (errno) {
      case 1 -> "EPERM";
      case ENOENT -> "ENOENT";
      case ESRCH -> "ESRCH";
      case EINTR -> "EINTR";
      case 9 -> "EBADF";
      case 12 -> "ENOMEM";
      case 13 -> "EACCES";
      case EBUSY -> "EBUSY";
      case EEXIST -> "EEXIST";
      case 18 -> "EXDEV";
      case 20 -> "ENOTDIR";
      case 21 -> "EISDIR";
      case EINVAL -> "EINVAL";
      case ENOSPC -> "ENOSPC";
      case 30 -> "EROFS";
      case 40 -> "ELOOP";
      case 95 -> "EOPNOTSUPP";
      case ENOTCONN -> "ENOTCONN";
      case ECONNREFUSED -> "ECONNREFUSED";
      case EDQUOT -> "EDQUOT";
      default -> "errno " + errno;
    };
  }
}
