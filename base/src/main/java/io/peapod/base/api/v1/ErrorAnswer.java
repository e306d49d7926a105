package io.peapod.base.api.v1;

/// An error answer: the error class's wire name (`not_found`, `invalid_argument`, ...) and the message,
/// which the CLI rethrows as the same class.
public record ErrorAnswer(Body error) {
  public record Body(String code, String message) {}
}
