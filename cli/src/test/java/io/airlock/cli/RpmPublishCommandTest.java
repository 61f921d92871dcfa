package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.Dnf;
import io.airlock.testing.RpmFixture;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code rpm publish} checked by dnf itself: a repository R built with rpmbuild and createrepo_c is
 * synced, exported, verified, imported into a fresh installation and published as P there; dnf,
 * offline in its own installroot, must see in P what it sees in R, and install from it.
 */
@Tag("persistence")
final class RpmPublishCommandTest {

    private static Path work;
    private static Path reference;
    private static TestDatabase upstream;
    private static TestDatabase downstream;
    private static Path published;

    @BeforeAll
    static void buildAndCarryTheFixture() throws IOException {
        Tools.require("dnf", "rpm", "rpmbuild", "createrepo_c", "modifyrepo_c");
        work = Files.createTempDirectory("airlock-publish-");
        reference = RpmFixture.build(work);
        upstream = TestDatabase.create();
        downstream = TestDatabase.create();
        Cli.ok(upstream, "repo", "create", "el", "--type", "rpm");
        Cli.ok(upstream, "rpm", "sync", "el", reference.toString());
        Cli.ok(upstream, "export", "el", "--to", work.resolve("export").toString(), "--name", "el");
        Path toc = work.resolve("export/el-toc.json");
        Cli.ok(downstream, "verify", toc.toString());
        Cli.ok(downstream, "import", toc.toString(), "--create-repositories");
        published = work.resolve("P");
        Cli.ok(downstream, "rpm", "publish", "el", published.toString());
    }

    @AfterAll
    static void removeTheFixture() {
        if (upstream != null) {
            upstream.close();
        }
        if (downstream != null) {
            downstream.close();
        }
        if (work != null) {
            TestDatabase.deleteTree(work);
        }
    }

    /** dnf in its own installroot; the repository id is the same for P and R, since some listings print it. */
    private static Dnf dnf(String name, Path repository) {
        return Dnf.of(work.resolve("dnf-" + name), "fixture", repository);
    }

    @Test
    void dnfSeesTheSameRequiresAndProvidesAsInTheReference() {
        Dnf onP = dnf("p-query", published);
        Dnf onR = dnf("r-query", reference);
        onP.ok("makecache");
        onR.ok("makecache");

        for (String name : RpmFixture.PACKAGES) {
            for (String query : List.of("--requires", "--provides", "--recommends", "--conflicts", "--obsoletes")) {
                assertThat(onP.ok("repoquery", query, name)).as(name + " " + query).isEqualTo(onR.ok("repoquery", query, name));
            }
        }
        assertThat(onP.ok("repoquery", "--requires", "airlock-app"))
                .containsExactly("(airlock-api >= 2 with airlock-api < 4)", "airlock-lib >= 2:1.0");
        assertThat(onP.ok("repoquery", "--provides", "airlock-lib")).containsExactly("airlock-api = 3", "airlock-lib = 2:1.0-1");
    }

    @Test
    void dnfSeesTheSameFilesAndChangelogsAsInTheReference() {
        Dnf onP = dnf("p-files", published);
        Dnf onR = dnf("r-files", reference);

        for (String name : RpmFixture.PACKAGES) {
            assertThat(onP.ok("repoquery", "-l", name)).as(name + " files").isEqualTo(onR.ok("repoquery", "-l", name));
            assertThat(onP.ok("repoquery", "--changelog", name)).as(name + " changelog")
                    .isEqualTo(onR.ok("repoquery", "--changelog", name));
        }
        // Beyond primary's short list (/etc, bin/), and a changelog of two entries.
        assertThat(onP.ok("repoquery", "-l", "airlock-lib")).contains("/usr/lib/airlock", "/usr/lib/airlock/lib.txt",
                "/var/log/airlock.log");
        assertThat(String.join("\n", onP.ok("repoquery", "--changelog", "airlock-lib"))).contains("- First release", "- Prerelease");
    }

    @Test
    void dnfInstallsAPackageWhoseFileRequirementOnlyFilelistsSatisfies() {
        Dnf onP = dnf("p-file-require", published);

        onP.ok("install", "airlock-extra");

        assertThat(Tools.ok(work, Map.of(), List.of("rpm", "--root", onP.root().toString(), "-q", "airlock-lib")).out())
                .startsWith("airlock-lib-1.0-1.noarch");
    }

    @Test
    void dnfInstallsAPackageWithItsDependenciesAndListsTheAdvisoryAsInTheReference() {
        Dnf onP = dnf("p-install", published);
        Dnf onR = dnf("r-install", reference);

        onP.ok("install", "airlock-app");
        onR.ok("install", "airlock-app");

        List<String> installed = Tools.ok(work, Map.of(), List.of("rpm", "--root", onP.root().toString(), "-qa", "--qf",
                "%{NAME}\\n")).outLines().stream().sorted().toList();
        assertThat(installed).contains("airlock-app", "airlock-lib");
        assertThat(installed).isEqualTo(Tools.ok(work, Map.of(), List.of("rpm", "--root", onR.root().toString(), "-qa", "--qf",
                "%{NAME}\\n")).outLines().stream().sorted().toList());
        List<String> advisories = onP.ok("updateinfo", "list", "--all");
        assertThat(advisories).anySatisfy(line -> assertThat(line).contains("AIRLOCK-2023:0001"));
        assertThat(advisories).isEqualTo(onR.ok("updateinfo", "list", "--all"));
    }

    @Test
    void groupsAndModulesAreListedAsInTheReference() {
        Dnf onP = dnf("p-lists", published);
        Dnf onR = dnf("r-lists", reference);

        List<String> groups = onP.ok("group", "list");
        List<String> modules = onP.ok("module", "list");

        assertThat(groups).anySatisfy(line -> assertThat(line).contains("Airlock tools"));
        assertThat(groups).isEqualTo(onR.ok("group", "list"));
        assertThat(modules).anySatisfy(line -> assertThat(line).startsWith("airlock").contains("[d]"));
        assertThat(modules).isEqualTo(onR.ok("module", "list"));
    }

    @Test
    void theModuleObsoleteIsPublishedAsInTheReference() throws IOException {
        List<String> obsoletes = documents(published, "modules", "modulemd-obsoletes");

        assertThat(obsoletes).singleElement().asString().contains("module: airlock", "stream: \"0\"", "obsoleted_by:");
        assertThat(obsoletes).isEqualTo(documents(reference, "modules", "modulemd-obsoletes"));
    }

    @Test
    void theProductidFileIsListedWithTheReferencesChecksumsAndItsBytes() throws IOException {
        String entry = repomdEntry(published, "productid");

        assertThat(entry).contains("-productid.gz\"/>", "<open-size>" + RpmFixture.PRODUCTID.length() + "</open-size>");
        // Copied as it came: the same bytes, so the same checksum, location and sizes (the time aside).
        assertThat(withoutTimestamp(entry)).isEqualTo(withoutTimestamp(repomdEntry(reference, "productid")));
        assertThat(new String(content(published, "productid"), StandardCharsets.UTF_8)).isEqualTo(RpmFixture.PRODUCTID);
        assertThat(content(published, "productid")).isEqualTo(content(reference, "productid"));
    }

    @Test
    void repomdCarriesTheReferencesRevisionAndTags() throws IOException {
        String repomd = Files.readString(published.resolve("repodata/repomd.xml"));

        assertThat(repomd).contains("<revision>" + RpmFixture.REVISION + "</revision>",
                "<distro cpeid=\"cpe:/o:airlock:airlock:1\">Airlock 1</distro>");
        assertThat(head(repomd)).isEqualTo(head(Files.readString(reference.resolve("repodata/repomd.xml"))));
    }

    /** repomd.xml up to its first {@code <data>}: the revision and the tags. */
    private static String head(String repomd) {
        return repomd.substring(0, repomd.indexOf("<data "));
    }

    /** The {@code <data type="TYPE">} element of a repository's repomd.xml, as text. */
    private static String repomdEntry(Path repository, String type) throws IOException {
        String repomd = Files.readString(repository.resolve("repodata/repomd.xml"));
        int start = repomd.indexOf("<data type=\"" + type + "\">");
        assertThat(start).as(type + " in " + repository).isNotNegative();
        return repomd.substring(start, repomd.indexOf("</data>", start) + "</data>".length());
    }

    private static String withoutTimestamp(String entry) {
        return entry.replaceAll("<timestamp>\\d+</timestamp>", "");
    }

    /** The content of a repository's metadata file of {@code type}, decompressed when it is gzip. */
    private static byte[] content(Path repository, String type) throws IOException {
        Matcher href = Pattern.compile("<location href=\"([^\"]+)\"").matcher(repomdEntry(repository, type));
        assertThat(href.find()).isTrue();
        Path file = repository.resolve(href.group(1));
        try (InputStream in = href.group(1).endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            return in.readAllBytes();
        }
    }

    /** The YAML documents of {@code kind} in a repository's modules metadata, each as its text between {@code ---} and {@code ...}. */
    private static List<String> documents(Path repository, String type, String kind) throws IOException {
        List<String> documents = new ArrayList<>();
        StringBuilder document = new StringBuilder();
        for (String line : new String(content(repository, type), StandardCharsets.UTF_8).split("\n")) {
            if (line.equals("---") || line.equals("...")) {
                if (document.toString().contains("document: " + kind + "\n")) {
                    documents.add(document.toString());
                }
                document.setLength(0);
            } else {
                document.append(line).append('\n');
            }
        }
        return documents;
    }

    @Test
    void dnfInstallsFromAZstdSha512FlatPublication() {
        Path flat = work.resolve("P-zstd");
        Cli.ok(downstream, "rpm", "publish", "el", flat.toString(), "--compression", "zstd", "--checksum", "sha512",
                "--layout", "flat");
        Dnf onP = dnf("p-zstd", flat);

        onP.ok("install", "airlock-app");

        assertThat(flat.resolve("Packages/airlock-lib-1.0-1.noarch.rpm")).isRegularFile();
        assertThat(flat.resolve("repodata").toFile().list()).anySatisfy(name -> assertThat(name).matches("[0-9a-f]{128}-primary\\.xml\\.zst"));
        assertThat(Tools.ok(work, Map.of(), List.of("rpm", "--root", onP.root().toString(), "-q", "airlock-lib")).out())
                .startsWith("airlock-lib-1.0-1.noarch");
    }

    @Test
    void publishingTheSameVersionAgainGivesTheSameRepodata() throws IOException {
        Path again = work.resolve("P-again");

        Cli.ok(downstream, "rpm", "publish", "el@1", again.toString());

        assertThat(contents(again.resolve("repodata"))).isEqualTo(contents(published.resolve("repodata")));
    }

    @Test
    void aFlippedByteInAPublishedPackageMakesTheInstallFail() throws IOException {
        Path broken = work.resolve("P-broken");
        Cli.ok(downstream, "rpm", "publish", "el", broken.toString());
        Path lib = broken.resolve("Packages/a/airlock-lib-1.0-1.noarch.rpm");
        byte[] bytes = Files.readAllBytes(lib);
        bytes[bytes.length - 10] ^= 1;
        Files.delete(lib); // a hard link into the artifact store: replaced, not changed in place
        Files.write(lib, bytes);

        Tools.Result install = dnf("p-broken", broken).run("install", "airlock-app");

        assertThat(install.exitCode()).isNotZero();
        assertThat(install.err() + install.out()).containsIgnoringCase("airlock-lib");
    }

    /** A copy of R without its package files: synced into an installation that has none, every package is on demand. */
    private static Path metadataOnly(String name) throws IOException {
        Path copy = work.resolve(name);
        Files.createDirectories(copy.resolve("repodata"));
        try (Stream<Path> files = Files.list(reference.resolve("repodata"))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve("repodata").resolve(file.getFileName()));
            }
        }
        return copy;
    }

    @Test
    void anOnDemandVersionIsRefusedWithOneErrorLineNamingTheFirstPackageAndTheCount() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "metadata", "--type", "rpm");
            Cli.ok(db, "rpm", "sync", "metadata", metadataOnly("R-metadata").toString());
            Path out = work.resolve("P-on-demand");

            Cli.Result refused = Cli.run(db, "rpm", "publish", "metadata", out.toString());
            Cli.Result allowed = Cli.run(db, "rpm", "publish", "metadata", out.toString(), "--allow-on-demand");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("error: metadata@1 has 3 packages whose file is not in the artifact"
                    + " store (on demand), the first airlock-app-1.2-3.noarch; use --allow-on-demand to publish them as metadata only");
            assertThat(allowed.exitCode()).isZero();
            assertThat(allowed.outLines().get(0)).endsWith(": 3 packages (0 files, 0 B; 3 on demand)");
            assertThat(out.resolve("Packages")).doesNotExist();
            assertThat(out.resolve("repodata/repomd.xml")).isRegularFile();
        }
    }

    @Test
    void anOnDemandVersionLeavesNoOutputDirectory() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "metadata", "--type", "rpm");
            Cli.ok(db, "rpm", "sync", "metadata", metadataOnly("R-metadata-2").toString());
            Path out = work.resolve("absent/P");

            Cli.Result refused = Cli.run(db, "rpm", "publish", "metadata", out.toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(out).doesNotExist();
            assertThat(out.getParent()).doesNotExist();
        }
    }

    @Test
    void dnfAcceptsTheSignedPublicationAndRefusesAChangedRepomd() throws IOException {
        Tools.require("gpg");
        Path home = Files.createDirectories(work.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Map<String, String> gnupg = Map.of("GNUPGHOME", home.toString());
        Tools.ok(work, gnupg, List.of("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                "--quick-gen-key", "Airlock Test <test@example.org>", "ed25519", "sign", "never"));
        Path key = work.resolve("signing.asc");
        Files.writeString(key, Tools.ok(work, gnupg, List.of("gpg", "--batch", "--armor", "--export")).out());
        Path signed = work.resolve("P-signed");
        String command = "gpg --homedir '" + home + "' --batch --yes --detach-sign --armor";

        Cli.Result publish = Cli.ok(downstream, "rpm", "publish", "el", signed.toString(), "--sign-command", command,
                "--public-key", key.toString(), "--repo-file", "airlock.repo", "--base-url", "http://example.org/el");

        assertThat(publish.outLines().get(1)).contains("repomd.xml signed");
        assertThat(signed.resolve("repodata/repomd.xml.key")).hasSameTextualContentAs(key);
        assertThat(Files.readString(signed.resolve("airlock.repo"))).contains("baseurl=http://example.org/el/\n",
                "gpgcheck=0\n", "repo_gpgcheck=1\n", "gpgkey=http://example.org/el/repodata/repomd.xml.key\n");
        Dnf verifying = Dnf.verifyingRepomd(work.resolve("dnf-signed"), "signed", signed, signed.resolve("repodata/repomd.xml.key"));
        verifying.ok("makecache");

        Path repomd = signed.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replace("<revision>", "<revision>1"));
        Tools.Result refused = Dnf.verifyingRepomd(work.resolve("dnf-tampered"), "signed", signed,
                signed.resolve("repodata/repomd.xml.key")).run("makecache");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("Bad GPG signature");
    }

    @Test
    void aFailingSigningCommandFailsThePublishAndLeavesNothing() throws IOException {
        Path key = Files.writeString(work.resolve("any.key"), "not used");
        Path out = work.resolve("P-unsigned");

        Cli.Result failed = Cli.run(downstream, "rpm", "publish", "el", out.toString(), "--sign-command",
                "echo no key here >&2; exit 3", "--public-key", key.toString());

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.errLines()).singleElement().asString()
                .startsWith("error: the signing command ").contains("exited with status 3: no key here");
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".P-unsigned"));
        }
    }

    @Test
    void theRepoFileNeedsABaseUrl() {
        Cli.Result usage = Cli.run(downstream, "rpm", "publish", "el", work.resolve("P-usage").toString(),
                "--repo-file", "airlock.repo");

        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("--base-url");
    }

    /** Every file under a directory, by relative path, as text of its bytes' hex. */
    private static Map<String, String> contents(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(directory.relativize(path).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(path)));
            }
        }
        return files;
    }
}
