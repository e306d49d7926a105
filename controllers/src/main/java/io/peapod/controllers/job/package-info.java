/// The Job controller: runs a Job's pods to `completions` successes, `parallelism` at a time, counting
/// failures against `backoffLimit` with exponential back-off, and ends it Complete or Failed.
package io.peapod.controllers.job;
