package io.airlock.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key pairs on disk: how they are written, loaded and refused. */
final class SigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void createWritesAnOwnerOnlyPkcs8PrivateKeyAndAnX509PublicKey() throws IOException {
        SigningKey.Created created = SigningKey.create(dir, "k");

        assertThat(created.privateKey()).isEqualTo(dir.resolve("k.key"));
        assertThat(created.publicKey()).isEqualTo(dir.resolve("k.pub"));
        assertThat(Files.readString(created.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(created.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n")
                .endsWith("-----END PUBLIC KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created.privateKey()))).isEqualTo("rw-------");
    }

    @Test
    void theFingerprintIsTheSha256OfThePublicKeyDer() throws Exception {
        SigningKey.Created created = SigningKey.create(dir, "k");

        byte[] der = Base64.getMimeDecoder().decode(Files.readString(created.publicKey())
                .replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").strip());

        assertThat(der).hasSize(44);
        assertThat(created.fingerprint()).isEqualTo("sha256:" + HexFormat.of().formatHex(sha256(der)));
    }

    @Test
    void aLoadedKeyHasTheFingerprintItWasCreatedWith() {
        SigningKey.Created created = SigningKey.create(dir, "k");

        SigningKey loaded = SigningKey.load(created.privateKey());

        assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint());
        assertThat(TrustedKeys.load(created.publicKey()).fingerprints()).containsExactly(created.fingerprint());
    }

    @Test
    void createRefusesToOverwriteAnExistingKeyFileAndWritesNothing() throws IOException {
        Files.writeString(dir.resolve("k.pub"), "an older key\n");

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> SigningKey.create(dir, "k"));

        assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(refused).hasMessageStartingWith("key file " + dir.resolve("k.pub") + " already exists");
        assertThat(Files.readString(dir.resolve("k.pub"))).isEqualTo("an older key\n");
        assertThat(dir.resolve("k.key")).doesNotExist();
    }

    @Test
    void aPrivateKeyOthersCanReadIsRefused() throws IOException {
        SigningKey.Created created = SigningKey.create(dir, "k");
        Files.setPosixFilePermissions(created.privateKey(), PosixFilePermissions.fromString("rw-r--r--"));

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> SigningKey.load(created.privateKey()));

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(refused).hasMessage("private key " + created.privateKey() + " has mode rw-r--r--: others than its owner "
                + "may use it (chmod 600 " + created.privateKey() + ")");
    }

    @Test
    void aPublicKeyIsNotASigningKey() {
        SigningKey.Created created = SigningKey.create(dir, "k");

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> SigningKey.load(created.publicKey()));

        assertThat(refused).hasMessage("private key " + created.publicKey() + " holds no PEM block 'PRIVATE KEY' (it holds 'PUBLIC KEY')");
    }

    @Test
    void anEncryptedPrivateKeyIsRefused() throws IOException {
        Path key = ownerOnly(dir.resolve("enc.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> SigningKey.load(key));

        assertThat(refused).hasMessage("private key " + key + " is encrypted; Airlock reads unencrypted PKCS#8 keys");
    }

    @Test
    void aPrivateKeyOfAnotherAlgorithmIsRefused() throws Exception {
        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        Path key = ownerOnly(dir.resolve("rsa.key"), pem(rsa.generateKeyPair().getPrivate().getEncoded()));

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> SigningKey.load(key));

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(refused).hasMessage("private key " + key + " is not an Ed25519 private key");
    }

    @Test
    void aPrivateKeyThatIsNotBase64IsRefused() throws IOException {
        Path key = ownerOnly(dir.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> SigningKey.load(key));

        assertThat(refused).hasMessage("private key " + key + ": the PEM block is not valid base64");
    }

    @Test
    void aSignatureFileVerifiesOnlyWithItsOwnKey() throws IOException {
        SigningKey.Created mine = SigningKey.create(dir, "mine");
        SigningKey.Created other = SigningKey.create(dir, "other");
        Path toc = dir.resolve("x-toc.json");
        Files.writeString(toc, "{\"any\": \"bytes\"}\n");
        Files.write(SignatureFile.of(toc), SigningKey.load(mine.privateKey()).signatureFile(Files.readAllBytes(toc)));

        TrustedKeys.SignedToc signed = TrustedKeys.load(mine.publicKey()).verifiedToc(toc);
        AirlockException refused = catchThrowableOfType(AirlockException.class,
                () -> TrustedKeys.load(other.publicKey()).verifiedToc(toc));

        assertThat(signed.signedBy()).isEqualTo(mine.fingerprint());
        assertThat(signed.bytes()).isEqualTo(Files.readAllBytes(toc));
        assertThat(refused.code()).isEqualTo(ErrorCode.UNTRUSTED);
        assertThat(refused).hasMessage("export " + toc + " is signed by key " + mine.fingerprint() + ", which is not trusted");
    }

    private static Path ownerOnly(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    }

    private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
