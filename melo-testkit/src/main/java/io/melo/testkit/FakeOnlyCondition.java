package io.melo.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips {@link FakeOnly} tests when the suite runs against a real homeserver. */
final class FakeOnlyCondition implements ExecutionCondition {

  FakeOnlyCondition() {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<AnnotatedElement> element = context.getElement();
    FakeOnly fakeOnly = element.map(e -> e.getAnnotation(FakeOnly.class)).orElse(null);
    if (fakeOnly == null) {
      return ConditionEvaluationResult.enabled("not @FakeOnly");
    }
    String target = HomeserverExtension.target();
    if (target == null) {
      return ConditionEvaluationResult.enabled("against the fake homeserver");
    }
    return ConditionEvaluationResult.disabled("fake homeserver only (" + HomeserverExtension.VARIABLE + "="
        + target + "): " + fakeOnly.value());
  }
}
