package io.airlock.core.trust;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Ed25519 private key that signs exports, with its public key and fingerprint. Keys are PEM
 * files made by the JDK's own provider: {@code NAME.key} (PKCS#8, readable by its owner only) and
 * {@code NAME.pub} (X.509 SubjectPublicKeyInfo). A key made by {@code openssl genpkey -algorithm
 * ed25519} loads too.
 */
public final class SigningKey {

    static final String ALGORITHM = "Ed25519";
    /** The default base name of a key pair's files. */
    public static final String DEFAULT_NAME = "airlock-signing";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String fingerprint;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.fingerprint = KeyFiles.fingerprint(publicKey);
    }

    /** The files {@link #create} wrote and the new key's fingerprint. */
    public record Created(Path privateKey, Path publicKey, String fingerprint) {
    }

    /**
     * Makes a new key pair and writes {@code directory/NAME.key} (mode 0600 where the file system
     * has POSIX permissions) and {@code directory/NAME.pub}. Refuses, changing nothing, when either
     * file exists.
     */
    public static Created create(Path directory, String name) {
        requireNonNull(directory, "directory");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "'" + name + "' is not a valid key name "
                    + "(letters, digits, '.', '_' and '-', at most 64)");
        }
        Path privateFile = directory.resolve(name + ".key");
        Path publicFile = directory.resolve(name + ".pub");
        for (Path existing : new Path[] {privateFile, publicFile}) {
            if (Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new AirlockException(ErrorCode.CONFLICT, "key file " + existing + " already exists; "
                        + "keys are never overwritten (choose another directory or --name)");
            }
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM + " provider", e);
        }
        SigningKey key = new SigningKey(pair.getPrivate(), pair.getPublic());
        try {
            Files.createDirectories(directory);
            writeNew(privateFile, KeyFiles.encodePem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            try {
                writeNew(publicFile, KeyFiles.encodePem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(privateFile);
                throw e;
            }
        } catch (FileAlreadyExistsException e) {
            throw new AirlockException(ErrorCode.CONFLICT, "key file " + e.getFile() + " already exists; keys are never overwritten");
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write a key pair to " + directory + ": " + e.getMessage(), e);
        }
        return new Created(privateFile, publicFile, key.fingerprint());
    }

    /** Writes a new file (never replacing one); a secret one is created owner-only, not narrowed afterwards. */
    private static void writeNew(Path file, String text, boolean secret) throws IOException {
        boolean posix = Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class);
        if (secret && posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Loads a private key PEM file ({@code -----BEGIN PRIVATE KEY-----}, unencrypted PKCS#8
     * Ed25519). Refused when others than its owner may read or write it, as OpenSSH does.
     */
    public static SigningKey load(Path file) {
        requireNonNull(file, "file");
        String what = "private key";
        byte[] bytes = KeyFiles.readRegular(file, KeyFiles.MAX_KEY_FILE, true, what, ErrorCode.INVALID_INPUT);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + " is encrypted; Airlock reads unencrypted PKCS#8 keys");
        }
        byte[] der = KeyFiles.decodePem(text, "PRIVATE KEY", file, what);
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + " is not an " + ALGORITHM + " private key");
        }
        checkOwnerOnly(file);
        return new SigningKey(privateKey, publicKeyOf(privateKey, file));
    }

    private static void checkOwnerOnly(Path file) {
        try {
            if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                return;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "private key " + file + " has mode "
                        + PosixFilePermissions.toString(permissions) + ": others than its owner may use it (chmod 600 " + file + ")");
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read the permissions of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The public key of an Ed25519 private key. The JDK has no call for it, but its generator
     * derives the pair from 32 random bytes, which for Ed25519 are the private key itself: handing
     * it those bytes as its randomness gives the pair back. The result is checked (same private
     * key, and a signature that verifies), so a JDK that did otherwise fails here, not later.
     */
    private static PublicKey publicKeyOf(PrivateKey privateKey, Path file) {
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new AirlockException(ErrorCode.INVALID_INPUT, "private key " + file + " hides its key bytes"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    if (bytes.length != seed.length) {
                        throw new IllegalStateException("asked for " + bytes.length + " bytes, not " + seed.length);
                    }
                    System.arraycopy(seed, 0, bytes, 0, seed.length);
                }
            });
            KeyPair pair = generator.generateKeyPair();
            byte[] again = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
            byte[] probe = "airlock key check".getBytes(StandardCharsets.US_ASCII);
            if (!Arrays.equals(again, seed) || !verifies(pair.getPublic(), probe, sign(privateKey, probe))) {
                throw new IllegalStateException("the derived key pair does not match");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "cannot derive the public key of private key " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** {@code sha256:} and the hex sha256 of the public key's DER SubjectPublicKeyInfo. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The contents of the signature file ({@link SignatureFile}) for exactly these TOC bytes. */
    public byte[] signatureFile(byte[] toc) {
        try {
            return SignatureFile.write(fingerprint, sign(privateKey, toc));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + ALGORITHM, e);
        }
    }

    private static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(ALGORITHM);
        signature.initSign(key);
        signature.update(data);
        return signature.sign();
    }

    static boolean verifies(PublicKey key, byte[] data, byte[] signatureBytes) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(ALGORITHM);
        signature.initVerify(key);
        signature.update(data);
        return signature.verify(signatureBytes);
    }

    @Override
    public String toString() {
        return "SigningKey[" + fingerprint + "]";
    }
}
