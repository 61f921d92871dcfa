package io.airlock.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading trusted public keys from files and directories. */
final class TrustedKeysTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryTrustsEveryPubAndPemFileInIt() throws IOException {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        SigningKey.Created a = SigningKey.create(dir, "a");
        SigningKey.Created b = SigningKey.create(dir, "b");
        Files.copy(a.publicKey(), keys.resolve("a.pub"));
        Files.copy(b.publicKey(), keys.resolve("b.pem"));
        Files.writeString(keys.resolve("README.txt"), "not a key, not read\n");

        TrustedKeys trusted = TrustedKeys.load(keys);

        assertThat(trusted.fingerprints()).containsExactlyInAnyOrder(a.fingerprint(), b.fingerprint());
    }

    @Test
    void aDirectoryWithoutKeysIsRefused() throws IOException {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Files.writeString(keys.resolve("README.txt"), "no keys here\n");

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> TrustedKeys.load(keys));

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(refused).hasMessage("trusted key directory " + keys + " holds no public key (*.pub or *.pem)");
    }

    @Test
    void aPrivateKeyIsNotTrusted() throws IOException {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        SigningKey.Created a = SigningKey.create(dir, "a");
        Files.copy(a.privateKey(), keys.resolve("a.pem"));

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> TrustedKeys.load(keys));

        assertThat(refused).hasMessage("public key " + keys.resolve("a.pem")
                + " holds a private key; trust needs only the public key (the .pub file)");
    }

    @Test
    void aMissingKeyFileIsNotFound() {
        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> TrustedKeys.load(dir.resolve("none.pub")));

        assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refused).hasMessage("public key " + dir.resolve("none.pub") + " not found");
    }

    @Test
    void keysAddUp() {
        TrustedKeys a = TrustedKeys.load(SigningKey.create(dir, "a").publicKey());
        TrustedKeys b = TrustedKeys.load(SigningKey.create(dir, "b").publicKey());

        assertThat(a.and(b).fingerprints()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(a.fingerprints().stream(), b.fingerprints().stream()).toList());
        assertThat(TrustedKeys.none().isEmpty()).isTrue();
        assertThat(TrustedKeys.none().and(a)).isSameAs(a);
    }

    @Test
    void anEd448KeyIsNotTrusted() throws Exception {
        java.security.PublicKey ed448 = java.security.KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic();

        AirlockException refused = catchThrowableOfType(AirlockException.class, () -> TrustedKeys.of(java.util.List.of(ed448)));

        assertThat(ed448.getAlgorithm()).isEqualTo("EdDSA");
        assertThat(refused).hasMessage("a trusted key must be Ed25519, not Ed448");
    }
}
