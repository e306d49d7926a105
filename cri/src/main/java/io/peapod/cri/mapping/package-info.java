/// CRI's proto messages to peapod's runtime records and back: configs in, statuses, lists and stats
/// out, filters, and the checks a CRI caller's input gets before it reaches the runtime.
package io.peapod.cri.mapping;
