package io.melo.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class using {@link FakeHomeserverExtension}: one server for the whole class instead of one
 * per test. Tests then see each other's accounts and rooms; faults and strict-mode findings are still
 * verified (and cleared) after each test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SharedHomeserver {}
