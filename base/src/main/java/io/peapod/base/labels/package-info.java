/// Kubernetes label selectors: the `-l` text form (`app=web,tier!=db,env in (a,b),!legacy`) and the
/// object form (`matchLabels`, `matchExpressions`), both matched against a pod's or object's labels.
package io.peapod.base.labels;
