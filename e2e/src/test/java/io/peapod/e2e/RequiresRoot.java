package io.peapod.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/// Runs a test only with `-Dpeapod.test.root=true`, and fails it (rather than skipping) when that is
/// set but the JVM is not root, so CI cannot silently skip the real tests.
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRoot.Condition.class)
public @interface RequiresRoot {
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (!Boolean.getBoolean("peapod.test.root")) {
        return ConditionEvaluationResult.disabled("root tests run with -Dpeapod.test.root=true");
      }
      if (!"root".equals(System.getProperty("user.name"))) {
        throw new IllegalStateException("-Dpeapod.test.root=true but the tests do not run as root");
      }
      return ConditionEvaluationResult.enabled("running as root");
    }
  }
}
