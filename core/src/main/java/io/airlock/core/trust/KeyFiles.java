package io.airlock.core.trust;

import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/** Reading key and signature files (bounded, regular files only), PEM, and key fingerprints. */
final class KeyFiles {

    /** The longest key file read: an Ed25519 PEM is under 200 bytes; comments around it are allowed. */
    static final int MAX_KEY_FILE = 64 << 10;

    private KeyFiles() {
    }

    /** {@code sha256:} and the lower-case hex sha256 of the key's DER SubjectPublicKeyInfo. */
    static String fingerprint(PublicKey key) {
        return "sha256:" + HexFormat.of().formatHex(Sha256.newDigest().digest(key.getEncoded()));
    }

    /**
     * The bytes of a regular file of at most {@code max} bytes. With {@code followLinks} false a
     * symbolic link is refused like any other non-regular file. Nothing but a regular file is
     * opened, so a FIFO or device cannot block or feed the read.
     *
     * @param what how messages name the file ("signature file", "public key")
     * @param code the error code for a file that is there but unacceptable
     */
    static byte[] readRegular(Path file, int max, boolean followLinks, String what, ErrorCode code) {
        LinkOption[] links = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, links);
            if (!attributes.isRegularFile()) {
                throw new AirlockException(code, what + " " + file + " is not a regular file (" + kind(attributes) + ")");
            }
            if (attributes.size() > max) {
                throw new AirlockException(code, what + " " + file + " is larger than " + max + " bytes");
            }
            try (InputStream in = Files.newInputStream(file, (OpenOption[]) links)) {
                byte[] bytes = in.readNBytes(max + 1);
                if (bytes.length > max) {
                    throw new AirlockException(code, what + " " + file + " is larger than " + max + " bytes");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, what + " " + file + " not found");
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        return attributes.isDirectory() ? "a directory" : "a device, FIFO or socket";
    }

    /** One PEM block of this label, e.g. {@code PRIVATE KEY}. */
    static String encodePem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /**
     * The DER bytes of the one PEM block with this label in {@code text}; text around it (comments)
     * is ignored. A missing block, a second one, or bad base64 is refused naming the file.
     */
    static byte[] decodePem(String text, String label, Path file, String what) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int start = text.indexOf(begin);
        if (start < 0) {
            String found = text.contains("-----BEGIN ") ? firstLabel(text) : null;
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + " holds no PEM block '" + label + "'"
                    + (found == null ? "" : " (it holds '" + found + "')"));
        }
        int stop = text.indexOf(end, start);
        if (stop < 0) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + ": the PEM block '" + label + "' has no END line");
        }
        if (text.indexOf(begin, stop) >= 0) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + " holds more than one PEM block '" + label + "'");
        }
        try {
            return Base64.getDecoder().decode(text.substring(start + begin.length(), stop).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + ": the PEM block is not valid base64");
        }
    }

    private static String firstLabel(String text) {
        int at = text.indexOf("-----BEGIN ") + "-----BEGIN ".length();
        int stop = text.indexOf("-----", at);
        String label = stop < 0 ? "" : text.substring(at, stop);
        return label.length() > 40 || label.isEmpty() ? "?" : label.replaceAll("\\p{Cntrl}", "?");
    }
}
