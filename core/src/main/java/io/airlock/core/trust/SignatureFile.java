package io.airlock.core.trust;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An export's signature file, {@code NAME-toc.json.sig}: a small JSON object naming the format,
 * the algorithm, the signing key's fingerprint and the base64 Ed25519 signature of the exact bytes
 * of {@code NAME-toc.json} (see docs/archive-format.md).
 */
public final class SignatureFile {

    /** What follows the TOC's file name. */
    public static final String SUFFIX = ".sig";

    static final String FORMAT = "airlock-signature";
    static final int FORMAT_VERSION = 1;
    static final String ALGORITHM = "Ed25519";
    /** A signature file is about 200 bytes; anything much larger is not one. */
    static final int MAX_BYTES = 4096;

    private static final int SIGNATURE_BYTES = 64;
    private static final Pattern FINGERPRINT = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Set<String> FIELDS = Set.of("format", "format_version", "algorithm", "key", "signature");
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxDocumentLength(MAX_BYTES).maxNestingDepth(4).maxNumberLength(20).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SignatureFile() {
    }

    /** The signature file of a TOC: the same directory, the TOC's name plus {@value #SUFFIX}. */
    public static Path of(Path toc) {
        return toc.resolveSibling(toc.getFileName() + SUFFIX);
    }

    /** A parsed signature: who claims to have signed, and the signature bytes. */
    record Parsed(String fingerprint, byte[] signature) {
    }

    static byte[] write(String fingerprint, byte[] signature) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("algorithm", ALGORITHM);
        root.put("key", fingerprint);
        root.put("signature", Base64.getEncoder().encodeToString(signature));
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a signature file strictly: exactly the five fields, each of its form. */
    static Parsed parse(byte[] bytes, Path file) {
        String where = "signature file " + file;
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw untrusted(where + " is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw untrusted(where + " is not a JSON object");
        }
        Set<String> unknown = new TreeSet<>();
        root.fieldNames().forEachRemaining(unknown::add);
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw untrusted(where + " has unknown field '" + unknown.iterator().next().replaceAll("\\p{Cntrl}", "?") + "'");
        }
        if (!FORMAT.equals(text(root, "format", where))) {
            throw untrusted(where + ": 'format' is not " + FORMAT);
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
            throw untrusted(where + ": format version " + version + " is not supported (this Airlock reads version " + FORMAT_VERSION + ")");
        }
        String algorithm = text(root, "algorithm", where);
        if (!ALGORITHM.equals(algorithm)) {
            throw untrusted(where + ": algorithm '" + algorithm.replaceAll("\\p{Cntrl}", "?") + "' is not " + ALGORITHM);
        }
        String key = text(root, "key", where);
        if (!FINGERPRINT.matcher(key).matches()) {
            throw untrusted(where + ": 'key' is not a fingerprint (sha256: and 64 lower-case hex digits)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(text(root, "signature", where));
        } catch (IllegalArgumentException e) {
            signature = new byte[0];
        }
        if (signature.length != SIGNATURE_BYTES) {
            throw untrusted(where + ": 'signature' is not the base64 of " + SIGNATURE_BYTES + " bytes");
        }
        return new Parsed(key, signature);
    }

    private static String text(JsonNode root, String field, String where) {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual()) {
            throw untrusted(where + ": '" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static AirlockException untrusted(String message) {
        return new AirlockException(ErrorCode.UNTRUSTED, message);
    }
}
