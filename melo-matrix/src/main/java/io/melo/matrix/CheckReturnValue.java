package io.melo.matrix;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks methods (or every method of a type) whose result must be used: a {@link MatrixCall} that is
 * never run sends nothing. Error Prone and IntelliJ IDEA recognise annotations with this simple name
 * and flag ignored results; it has no effect at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.CONSTRUCTOR})
public @interface CheckReturnValue {}
