package io.melo.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a test class or method of a suite using {@link HomeserverExtension}: the test needs the fake
 * homeserver's internals (fault injection, its clock, its recorded requests, state no client can
 * read, restarts), so it is skipped, with this reason, when the suite runs against a real homeserver
 * ({@value HomeserverExtension#VARIABLE} set). Against the fake it runs as any other test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(FakeOnlyCondition.class)
public @interface FakeOnly {
  /**
   * {@return why the test cannot run against a real homeserver, for example {@code "injects a
   * dropped response"}}
   */
  String value();
}
