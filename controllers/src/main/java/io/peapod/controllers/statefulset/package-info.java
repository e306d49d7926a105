/// The StatefulSet controller: pods with stable names `<name>-<ordinal>`, made and removed in order
/// (or all at once with `Parallel`), replaced from the highest ordinal down when the template changes.
package io.peapod.controllers.statefulset;
