package io.airlock.spi;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The digest a unit records of its own file (a file's {@code sha256}, an RPM package's
 * {@code pkgId}): every file linked to the unit must have it. An import refuses a link whose file
 * does not match (see {@link ContentResource#fileDigest}).
 *
 * @param algorithm the {@link java.security.MessageDigest} algorithm name, e.g. {@code SHA-256},
 *     {@code SHA-1}, {@code MD5}
 * @param hex the digest in hex (stored lower-case)
 */
public record FileDigest(String algorithm, String hex) {

    /** The algorithm name of SHA-256, the digest artifacts are stored under. */
    public static final String SHA_256 = "SHA-256";

    public FileDigest {
        requireNonNull(algorithm, "algorithm");
        requireNonNull(hex, "hex");
        if (algorithm.isEmpty() || algorithm.length() > 32) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "file digest algorithm '"
                    + (algorithm.length() > 32 ? algorithm.substring(0, 32) + "…" : algorithm) + "' is not an algorithm name");
        }
        hex = hex.toLowerCase(Locale.ROOT);
        // 128 hex digits: SHA-512, the longest digest a yum repository uses.
        if (hex.isEmpty() || hex.length() > 128 || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "file digest '" + (hex.length() > 100 ? hex.substring(0, 100) + "…" : hex)
                    + "' is not a digest in hex");
        }
    }

    public static FileDigest sha256(String hex) {
        return new FileDigest(SHA_256, hex);
    }

    /** True when this is a SHA-256 digest, which an artifact's own name already gives. */
    public boolean isSha256() {
        return algorithm.equalsIgnoreCase(SHA_256);
    }
}
