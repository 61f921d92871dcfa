package io.airlock.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link Content} entity as part of its natural key: the values that identify
 * the unit across installations. Database ids never leave an installation; natural keys do.
 * Natural-key fields must be basic values (strings, numbers, booleans, enums, java.time values).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface NaturalKey {
}
