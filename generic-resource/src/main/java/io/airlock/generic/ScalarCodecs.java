package io.airlock.generic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.airlock.spi.ContentResource.RowReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Codecs of basic (single-column) values. */
final class ScalarCodecs {

    private ScalarCodecs() {
    }

    /** Types parsed from their {@code toString()} form; all of these round-trip through it. */
    private static final Map<Class<?>, Function<String, Object>> TEXT_TYPES = Map.ofEntries(
            Map.entry(Instant.class, Instant::parse),
            Map.entry(LocalDate.class, LocalDate::parse),
            Map.entry(LocalDateTime.class, LocalDateTime::parse),
            Map.entry(LocalTime.class, LocalTime::parse),
            Map.entry(OffsetDateTime.class, OffsetDateTime::parse),
            Map.entry(OffsetTime.class, OffsetTime::parse),
            Map.entry(ZonedDateTime.class, ZonedDateTime::parse),
            Map.entry(Year.class, Year::parse),
            Map.entry(YearMonth.class, YearMonth::parse),
            Map.entry(MonthDay.class, MonthDay::parse),
            Map.entry(Duration.class, Duration::parse),
            Map.entry(ZoneOffset.class, ZoneOffset::of),
            Map.entry(ZoneId.class, ZoneId::of),
            Map.entry(UUID.class, ScalarCodecs::parseUuid));

    /** The codec of a basic Java type, or null when the type is not supported. */
    static Codec forType(Class<?> type) {
        Class<?> t = boxed(type);
        if (t == String.class) {
            return new Codec() {
                @Override
                public void write(Object value, JsonGenerator out) throws IOException {
                    out.writeString((String) value);
                }

                @Override
                public Object read(JsonNode node, String path, RowReader reader) {
                    return text(node, path);
                }
            };
        }
        if (t == Character.class) {
            return new Codec() {
                @Override
                public void write(Object value, JsonGenerator out) throws IOException {
                    out.writeString(value.toString());
                }

                @Override
                public Object read(JsonNode node, String path, RowReader reader) {
                    String s = text(node, path);
                    if (s.length() != 1) {
                        throw new InvalidValue(path, "expects a single character, got " + InvalidValue.describe(node));
                    }
                    return s.charAt(0);
                }
            };
        }
        if (t == Boolean.class) {
            return new Codec() {
                @Override
                public void write(Object value, JsonGenerator out) throws IOException {
                    out.writeBoolean((Boolean) value);
                }

                @Override
                public Object read(JsonNode node, String path, RowReader reader) {
                    if (!node.isBoolean()) {
                        throw new InvalidValue(path, "expects a boolean, got " + InvalidValue.describe(node));
                    }
                    return node.booleanValue();
                }
            };
        }
        if (t == Byte.class) {
            return integral(Byte.MIN_VALUE, Byte.MAX_VALUE, v -> (byte) v);
        }
        if (t == Short.class) {
            return integral(Short.MIN_VALUE, Short.MAX_VALUE, v -> (short) v);
        }
        if (t == Integer.class) {
            return integral(Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v);
        }
        if (t == Long.class) {
            return integral(Long.MIN_VALUE, Long.MAX_VALUE, v -> v);
        }
        if (t == Double.class) {
            return floating(false);
        }
        if (t == Float.class) {
            return floating(true);
        }
        if (t == BigInteger.class) {
            return new Codec() {
                @Override
                public void write(Object value, JsonGenerator out) throws IOException {
                    out.writeNumber((BigInteger) value);
                }

                @Override
                public Object read(JsonNode node, String path, RowReader reader) {
                    if (!node.isIntegralNumber()) {
                        throw new InvalidValue(path, "expects an integer, got " + InvalidValue.describe(node));
                    }
                    return node.bigIntegerValue();
                }
            };
        }
        if (t == BigDecimal.class) {
            // Written as a string: a parser that reads JSON floats as doubles would lose digits.
            return new Codec() {
                @Override
                public void write(Object value, JsonGenerator out) throws IOException {
                    out.writeString(((BigDecimal) value).toPlainString());
                }

                @Override
                public Object read(JsonNode node, String path, RowReader reader) {
                    if (node.isNumber()) {
                        return node.decimalValue();
                    }
                    try {
                        return new BigDecimal(text(node, path));
                    } catch (NumberFormatException e) {
                        throw new InvalidValue(path, "expects a decimal number, got " + InvalidValue.describe(node));
                    }
                }
            };
        }
        if (t.isEnum()) {
            return enumCodec(t.asSubclass(Enum.class));
        }
        if (t == byte[].class) {
            return new Codec() {
                @Override
                public void write(Object value, JsonGenerator out) throws IOException {
                    out.writeString(Base64.getEncoder().encodeToString((byte[]) value));
                }

                @Override
                public Object read(JsonNode node, String path, RowReader reader) {
                    try {
                        return Base64.getDecoder().decode(text(node, path));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidValue(path, "expects base64 bytes, got " + InvalidValue.describe(node));
                    }
                }
            };
        }
        Function<String, Object> parse = TEXT_TYPES.get(t);
        if (parse != null) {
            String name = t.getSimpleName();
            return new Codec() {
                @Override
                public void write(Object value, JsonGenerator out) throws IOException {
                    out.writeString(value.toString());
                }

                @Override
                public Object read(JsonNode node, String path, RowReader reader) {
                    try {
                        return parse.apply(text(node, path));
                    } catch (DateTimeException | IllegalArgumentException e) {
                        throw new InvalidValue(path, "expects " + name + " text, got " + InvalidValue.describe(node));
                    }
                }
            };
        }
        return null;
    }

    /** Whether {@link io.airlock.spi.ContentKey} can hold values of this type. */
    static boolean keyCapable(Class<?> type) {
        Class<?> t = boxed(type);
        return t == String.class || t == Character.class || t == Boolean.class || t == Byte.class
                || t == Short.class || t == Integer.class || t == Long.class || t == Float.class
                || t == Double.class || t == BigDecimal.class || t.isEnum() || t == UUID.class
                || (TemporalAccessor.class.isAssignableFrom(t) && TEXT_TYPES.containsKey(t));
    }

    static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == char.class) {
            return Character.class;
        }
        return type;
    }

    private static String text(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw new InvalidValue(path, "expects a string, got " + InvalidValue.describe(node));
        }
        return node.textValue();
    }

    private static Object parseUuid(String text) {
        UUID uuid = UUID.fromString(text);
        // UUID.fromString accepts short groups such as "1-2-3-4-5"; only the canonical form is valid.
        if (!uuid.toString().equalsIgnoreCase(text)) {
            throw new IllegalArgumentException("not a canonical UUID");
        }
        return uuid;
    }

    private interface LongTo {
        Object convert(long value);
    }

    private static Codec integral(long min, long max, LongTo convert) {
        return new Codec() {
            @Override
            public void write(Object value, JsonGenerator out) throws IOException {
                out.writeNumber(((Number) value).longValue());
            }

            @Override
            public Object read(JsonNode node, String path, RowReader reader) {
                if (!node.isIntegralNumber()) {
                    throw new InvalidValue(path, "expects an integer, got " + InvalidValue.describe(node));
                }
                if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
                    throw new InvalidValue(path, "expects an integer from " + min + " to " + max + ", got "
                            + InvalidValue.describe(node));
                }
                return convert.convert(node.longValue());
            }
        };
    }

    private static Codec floating(boolean single) {
        return new Codec() {
            @Override
            public void write(Object value, JsonGenerator out) throws IOException {
                if (single) {
                    out.writeNumber((Float) value);
                } else {
                    out.writeNumber((Double) value);
                }
            }

            @Override
            public Object read(JsonNode node, String path, RowReader reader) {
                double d;
                if (node.isNumber()) {
                    d = node.doubleValue();
                } else if (node.isTextual() && (node.textValue().equals("NaN")
                        || node.textValue().equals("Infinity") || node.textValue().equals("-Infinity"))) {
                    // Jackson writes non-finite numbers as these strings.
                    d = Double.parseDouble(node.textValue());
                } else {
                    throw new InvalidValue(path, "expects a number, got " + InvalidValue.describe(node));
                }
                if (!single) {
                    return d;
                }
                float f = (float) d;
                if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                    throw new InvalidValue(path, "expects a number within float range, got " + InvalidValue.describe(node));
                }
                return f;
            }
        };
    }

    private static <E extends Enum<E>> Codec enumCodec(Class<E> type) {
        return new Codec() {
            @Override
            public void write(Object value, JsonGenerator out) throws IOException {
                out.writeString(((Enum<?>) value).name());
            }

            @Override
            public Object read(JsonNode node, String path, RowReader reader) {
                String name = text(node, path);
                try {
                    return Enum.valueOf(type, name);
                } catch (IllegalArgumentException e) {
                    throw new InvalidValue(path, "expects one of " + java.util.Arrays.toString(type.getEnumConstants())
                            + ", got " + InvalidValue.describe(node));
                }
            }
        };
    }
}
