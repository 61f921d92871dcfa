package io.airlock.spi;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception of Airlock. Its message is a single line saying what is wrong and
 * where (file, line, entry, unit); {@link #code()} says what kind of failure it is.
 */
public class AirlockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public AirlockException(ErrorCode code, String message) {
        super(requireNonNull(message, "message"));
        this.code = requireNonNull(code, "code");
    }

    public AirlockException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        this.code = requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
