package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code key create}, {@code export --sign}, {@code verify/import --trust} and the home's {@code trust/} folder. */
@Tag("persistence")
final class SignedExportCommandTest {

    @Test
    void keyCreateWritesAnOwnerOnlyPrivateKeyAndPrintsTheFingerprint() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            Path keys = up.path("keys");

            Cli.Result created = Cli.run("key", "create", keys.toString());

            assertThat(created.exitCode()).isZero();
            assertThat(created.outLines()).hasSize(3);
            assertThat(created.outLines().get(0)).startsWith("private key: " + keys.resolve("airlock-signing.key"));
            assertThat(created.outLines().get(1)).startsWith("public key: " + keys.resolve("airlock-signing.pub"));
            assertThat(created.outLines().get(2)).matches("fingerprint: sha256:[0-9a-f]{64}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("airlock-signing.key"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void keyCreateNeverOverwritesAKey() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            Path keys = up.path("keys");
            Cli.run("key", "create", keys.toString());
            String before = Files.readString(keys.resolve("airlock-signing.key"));

            Cli.Result again = Cli.run("key", "create", keys.toString());

            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.errLines()).containsExactly("error: key file " + keys.resolve("airlock-signing.key")
                    + " already exists; keys are never overwritten (choose another directory or --name)");
            assertThat(Files.readString(keys.resolve("airlock-signing.key"))).isEqualTo(before);
        }
    }

    @Test
    void aSignedExportVerifiesAndImportsWithItsKeyTrusted() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            String fingerprint = fingerprint(Cli.run("key", "create", up.path("keys").toString()));
            Path toc = export(up, "--sign", up.path("keys").resolve("airlock-signing.key").toString());

            Cli.Result verified = Cli.run("verify", toc.toString(), "--trust", up.path("keys").resolve("airlock-signing.pub").toString());
            Cli.Result imported = Cli.ok(down, "import", toc.toString(), "--create-repositories", "--trust", up.path("keys").toString());

            assertThat(toc.resolveSibling("x-toc.json.sig")).isRegularFile();
            assertThat(verified.exitCode()).isZero();
            assertThat(verified.out()).contains("signed by trusted key " + fingerprint).contains("ok: every check passed");
            assertThat(imported.outLines().get(0)).isEqualTo("signed by trusted key " + fingerprint);
            assertThat(imported.outLines().get(1)).startsWith("isos -> isos (create repository): version 1");
        }
    }

    @Test
    void exportSaysWhichKeySignedAndWhere() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            String fingerprint = fingerprint(Cli.run("key", "create", up.path("keys").toString()));
            Path input = Trees.write(up.path("input"), Trees.sample());
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());

            Cli.Result exported = Cli.ok(up, "export", "isos", "--to", up.path("out").toString(), "--name", "x",
                    "--sign", up.path("keys").resolve("airlock-signing.key").toString());

            assertThat(exported.outLines()).last().isEqualTo("signed with key " + fingerprint + ": "
                    + up.path("out").toAbsolutePath().normalize().resolve("x-toc.json.sig"));
        }
    }

    @Test
    void theHomeTrustFolderMakesImportAndVerifyRequireASignature() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Cli.run("key", "create", up.path("keys").toString());
            Path signed = export(up, "--sign", up.path("keys").resolve("airlock-signing.key").toString());
            Path unsigned = exportAgain(up, "plain");
            Path trust = Files.createDirectories(down.directory().resolve("trust"));
            Files.copy(up.path("keys").resolve("airlock-signing.pub"), trust.resolve("upstream.pub"));

            Cli.Result refusedImport = Cli.run(down, "import", unsigned.toString(), "--create-repositories");
            Cli.Result refusedVerify = Cli.run(down, "verify", unsigned.toString());
            List<String> repositoriesAfterRefusal = Cli.ok(down, "repo", "list").outLines();
            List<Path> storeAfterRefusal = storeFiles(down);
            Cli.Result imported = Cli.run(down, "import", signed.toString(), "--create-repositories");

            String message = "error: export " + unsigned + " is not signed (no plain-toc.json.sig) and signatures are required";
            assertThat(refusedImport.exitCode()).isEqualTo(1);
            assertThat(refusedImport.errLines()).containsExactly(message);
            assertThat(refusedVerify.exitCode()).isEqualTo(1);
            assertThat(refusedVerify.errLines()).containsExactly(message);
            assertThat(repositoriesAfterRefusal).hasSize(1); // the header only
            assertThat(storeAfterRefusal).isEmpty();
            assertThat(imported.exitCode()).isZero();
            assertThat(imported.outLines().get(1)).startsWith("isos -> isos (create repository): version 1");
        }
    }

    @Test
    void importRefusesAnExportSignedByAKeyThatIsNotTrustedNamingTheKey() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            String signer = fingerprint(Cli.run("key", "create", up.path("keys").toString()));
            Cli.run("key", "create", down.path("keys").toString());
            Path toc = export(up, "--sign", up.path("keys").resolve("airlock-signing.key").toString());

            Cli.Result refused = Cli.run(down, "import", toc.toString(), "--create-repositories",
                    "--trust", down.path("keys").resolve("airlock-signing.pub").toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("error: export " + toc + " is signed by key " + signer
                    + ", which is not trusted");
            assertThat(Cli.ok(down, "repo", "list").outLines()).hasSize(1);
            assertThat(storeFiles(down)).isEmpty();
        }
    }

    @Test
    void verifyWithoutTrustedKeysSaysTheSignatureWasNotChecked() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            Cli.run("key", "create", up.path("keys").toString());
            Path toc = export(up, "--sign", up.path("keys").resolve("airlock-signing.key").toString());

            Cli.Result verified = Cli.run(up, "verify", toc.toString());

            assertThat(verified.exitCode()).isZero();
            assertThat(verified.out()).doesNotContain("signed by trusted key")
                    .contains("signature x-toc.json.sig not checked: no trusted keys (--trust, or HOME/trust/)");
        }
    }

    @Test
    void verifyWithTrustRefusesABareTar() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            Cli.run("key", "create", up.path("keys").toString());
            Path toc = export(up, "--sign", up.path("keys").resolve("airlock-signing.key").toString());
            Path tar = toc.resolveSibling("x.tar");

            Cli.Result refused = Cli.run("verify", tar.toString(), "--trust", up.path("keys").resolve("airlock-signing.pub").toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("error: export " + tar + " is a bare .tar, which cannot be signed, "
                    + "and signatures are required: import its -toc.json with the -toc.json.sig next to it");
        }
    }

    @Test
    void exportWithAKeyOthersCanReadIsRefusedAndWritesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            Cli.run("key", "create", up.path("keys").toString());
            Path key = up.path("keys").resolve("airlock-signing.key");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
            Path input = Trees.write(up.path("input"), Trees.sample());
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());

            Cli.Result refused = Cli.run(up, "export", "isos", "--to", up.path("out").toString(), "--name", "x", "--sign", key.toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("error: private key " + key + " has mode rw-r-----: others than its owner "
                    + "may use it (chmod 600 " + key + ")");
            assertThat(up.path("out")).doesNotExist();
        }
    }

    private static String fingerprint(Cli.Result created) {
        assertThat(created.exitCode()).isZero();
        return created.outLines().get(2).substring("fingerprint: ".length());
    }

    /** Adds the sample files to a new repository and exports it as {@code x}, with these extra options. */
    private static Path export(TestDatabase up, String... options) {
        Path input = Trees.write(up.path("input"), Trees.sample());
        Cli.ok(up, "repo", "create", "isos", "--type", "file");
        Cli.ok(up, "file", "add", "isos", input.toString());
        List<String> args = new java.util.ArrayList<>(List.of("export", "isos", "--to", up.path("out").toString(), "--name", "x"));
        args.addAll(List.of(options));
        Cli.ok(up, args.toArray(String[]::new));
        return up.path("out").resolve("x-toc.json");
    }

    private static Path exportAgain(TestDatabase up, String name) {
        Cli.ok(up, "export", "isos", "--to", up.path("out").toString(), "--name", name);
        return up.path("out").resolve(name + "-toc.json");
    }

    private static List<Path> storeFiles(TestDatabase db) throws IOException {
        Path store = db.directory().resolve("artifacts");
        if (!Files.exists(store)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
