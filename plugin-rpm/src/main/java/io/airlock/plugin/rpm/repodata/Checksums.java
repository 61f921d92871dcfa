package io.airlock.plugin.rpm.repodata;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The checksum types yum metadata uses, by their names in the metadata. */
public final class Checksums {

    private static final Map<String, String> ALGORITHMS = Map.of(
            "md5", "MD5", "sha", "SHA-1", "sha1", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256",
            "sha384", "SHA-384", "sha512", "SHA-512");

    private Checksums() {
    }

    /** A new digest for {@code type}, or empty when the type is unknown. */
    public static Optional<MessageDigest> digest(String type) {
        String algorithm = type == null ? null : ALGORITHMS.get(type.toLowerCase(Locale.ROOT));
        if (algorithm == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageDigest.getInstance(algorithm));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** The {@link MessageDigest} algorithm name of {@code type}, or empty when the type is unknown. */
    public static Optional<String> algorithm(String type) {
        return Optional.ofNullable(type == null ? null : ALGORITHMS.get(type.toLowerCase(Locale.ROOT)));
    }

    public static boolean known(String type) {
        return type != null && ALGORITHMS.containsKey(type.toLowerCase(Locale.ROOT));
    }
}
