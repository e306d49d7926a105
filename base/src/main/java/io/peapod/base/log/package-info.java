/// Logging helpers every layer may use: [io.peapod.base.log.RateLimitedLog] keeps a storm of one line
/// to one line per interval.
package io.peapod.base.log;
