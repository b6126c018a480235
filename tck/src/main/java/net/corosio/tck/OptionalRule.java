package net.corosio.tck;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Marks a kit test for a SHOULD or MAY rule of {@code SPEC.md}. The method's name is {@code
 * optional_<group>_<rule>_<sentence>}; the kit's own build checks both against the spec.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Test
@Tag("optional")
public @interface OptionalRule {}
