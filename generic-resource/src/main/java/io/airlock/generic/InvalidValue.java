package io.airlock.generic;

/**
 * A row value that does not fit its attribute. Carries the dotted path of the field so the
 * resource can name it together with the content type in one {@code AirlockException}.
 */
final class InvalidValue extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;

    InvalidValue(String path, String reason) {
        super(reason, null, false, false);
        this.path = path;
    }

    String path() {
        return path;
    }

    static String describe(com.fasterxml.jackson.databind.JsonNode node) {
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
