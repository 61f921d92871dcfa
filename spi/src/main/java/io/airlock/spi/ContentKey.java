package io.airlock.spi;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.TemporalAccessor;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The natural key of one content unit: its type id and the values of its natural-key fields,
 * sorted by field name. Values are canonical JSON scalars: {@link String}, {@link Long},
 * {@link BigDecimal}, {@link Boolean} or null; enums, UUIDs and java.time values become strings.
 *
 * <p>{@link #digest()} is the sha256 of a canonical text of the key; it is stored with every unit and
 * identifies it in bulk lookups. The text is part of the archive format, so it must never change.
 */
public record ContentKey(String type, SortedMap<String, Object> fields) {

    public ContentKey {
        requireNonNull(type, "type");
        requireNonNull(fields, "fields");
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a natural key of " + type + " needs at least one field");
        }
        TreeMap<String, Object> canonical = new TreeMap<>();
        fields.forEach((name, value) -> canonical.put(requireNonNull(name, "field name"), canonicalValue(name, value)));
        fields = Collections.unmodifiableSortedMap(canonical);
    }

    public static ContentKey of(String type, Map<String, ?> fields) {
        return new ContentKey(type, new TreeMap<>(fields));
    }

    /** Converts a field value to its canonical JSON scalar form. */
    public static Object canonicalValue(String name, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigDecimal decimal) {
            return canonicalDecimal(decimal);
        }
        if (value instanceof Double || value instanceof Float) {
            return canonicalDecimal(new BigDecimal(value.toString()));
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof UUID || value instanceof TemporalAccessor || value instanceof Character) {
            return value.toString();
        }
        throw new IllegalArgumentException("natural-key field " + name + " has a value of unsupported type "
                + value.getClass().getName());
    }

    private static Object canonicalDecimal(BigDecimal decimal) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 18) {
            return stripped.longValueExact();
        }
        return stripped;
    }

    /** The canonical text: a JSON array {@code ["type",["field",value],…]} with fields sorted. */
    public String canonicalText() {
        StringBuilder text = new StringBuilder(64);
        text.append('[');
        appendJsonString(text, type);
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            text.append(",[");
            appendJsonString(text, field.getKey());
            text.append(',');
            Object value = field.getValue();
            if (value instanceof String s) {
                appendJsonString(text, s);
            } else if (value instanceof BigDecimal d) {
                text.append(d.toPlainString());
            } else {
                text.append(value);
            }
            text.append(']');
        }
        return text.append(']').toString();
    }

    /** Lower-case hex sha256 of {@link #canonicalText()}. */
    public String digest() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonicalText().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void appendJsonString(StringBuilder text, String s) {
        text.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
