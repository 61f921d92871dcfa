package io.airlock.core.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.copy.CopyRequest.ContentName;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.copy.CopyOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CopyRequestTest {

    private static final String JSON = """
            {"dependency_solving": true, "dependency_upgrade": false, "include_recommends": false,
             "config": [
               {"source_repo_version": "el9@4", "dest_repo": "el9-approved", "dest_base_version": 2,
                "content": ["rpm.package:bash-5.1.8-6.el9.x86_64", "rpm.advisory:RHSA-2024:0001"]},
               {"source_repo_version": "other@3", "dest_repo": "other-dest", "content": []}]}
            """;

    private static final String YAML = """
            dependency_solving: true
            dependency_upgrade: false
            include_recommends: false
            config:
              - source_repo_version: el9@4
                dest_repo: el9-approved
                dest_base_version: 2
                content:
                  - rpm.package:bash-5.1.8-6.el9.x86_64
                  - "rpm.advisory:RHSA-2024:0001"
              - source_repo_version: other@3
                dest_repo: other-dest
                content: []
            """;

    private static final CopyRequest EXPECTED = new CopyRequest("copy.json", List.of(
            new Entry(VersionRef.of("el9", 4), "el9-approved", OptionalInt.of(2), Optional.of(List.of(
                    new ContentName("rpm.package", "bash-5.1.8-6.el9.x86_64"),
                    new ContentName("rpm.advisory", "RHSA-2024:0001")))),
            new Entry(VersionRef.of("other", 3), "other-dest", OptionalInt.empty(), Optional.of(List.of()))),
            new CopyOptions(true, false, false), false);

    @Test
    void jsonRequestIsReadIntoEntriesAndOptions() {
        CopyRequest request = CopyRequest.parse(JSON, "copy.json");

        assertThat(request).isEqualTo(EXPECTED);
    }

    @Test
    void yamlRequestIsReadLikeTheJsonOne() {
        CopyRequest request = CopyRequest.parse(YAML, "copy.yaml");

        assertThat(request.config()).isEqualTo(EXPECTED.config());
        assertThat(request.options()).isEqualTo(EXPECTED.options());
    }

    @Test
    void formatIsSniffedWhenTheNameSaysNothing() {
        assertThat(CopyRequest.parse(JSON, "request").config()).isEqualTo(EXPECTED.config());
        assertThat(CopyRequest.parse(YAML, "request").config()).isEqualTo(EXPECTED.config());
    }

    @Test
    void requestFileIsReadByItsExtension(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("copy.yml"), YAML);

        CopyRequest request = CopyRequest.parse(file);

        assertThat(request.config()).isEqualTo(EXPECTED.config());
        assertThat(request.origin()).isEqualTo(file.toString());
    }

    @Test
    void missingRequestFileIsNotFound(@TempDir Path dir) {
        Path file = dir.resolve("nope.json");

        assertRefused(() -> CopyRequest.parse(file), ErrorCode.NOT_FOUND)
                .hasMessage("copy request " + file + " does not exist");
    }

    @Test
    void omittedSwitchesTakeTheirDefaults() {
        CopyRequest request = CopyRequest.parse("{\"config\": [{\"source_repo_version\": \"a\", \"dest_repo\": \"b\"}]}", "c.json");

        assertThat(request.options()).isEqualTo(CopyOptions.DEFAULT);
        assertThat(request.dryRun()).isFalse();
    }

    @Test
    void omittedContentIsTheWholeVersionAndAnEmptyListIsNothing() {
        CopyRequest request = CopyRequest.parse("""
                config:
                  - {source_repo_version: a, dest_repo: b}
                  - {source_repo_version: a, dest_repo: b, content: []}
                """, "c.yaml");

        assertThat(request.config().get(0).content()).isEmpty();
        assertThat(request.config().get(1).content()).contains(List.of());
    }

    @Test
    void sourceWithoutNumberMeansTheLatestVersion() {
        CopyRequest request = CopyRequest.parse("config: [{source_repo_version: el9, dest_repo: b}]", "c.yaml");

        assertThat(request.config().get(0).source()).isEqualTo(VersionRef.latest("el9"));
    }

    @Test
    void contentNameSplitsAtTheFirstColonSoLabelsMayHoldColons() {
        assertThat(ContentName.parse("rpm.advisory:RHSA-2024:0001")).isEqualTo(new ContentName("rpm.advisory", "RHSA-2024:0001"));
        assertThat(ContentName.parse("file.file:a:b/c.iso").toString()).isEqualTo("file.file:a:b/c.iso");
    }

    @Test
    void requestIsBuiltInCode() {
        CopyRequest request = CopyRequest.of(List.of(
                Entry.whole("el9@4", "el9-approved").withBase(2).withContent("rpm.package:bash-5.1.8-6.el9.x86_64",
                        "rpm.advisory:RHSA-2024:0001"),
                Entry.whole("other@3", "other-dest").withContent()));

        assertThat(request.config()).isEqualTo(EXPECTED.config());
        assertThat(request.asDryRun().withDependencySolving(false).options().dependencySolving()).isFalse();
    }

    @Test
    void malformedJsonIsRefusedWithLineAndColumn() {
        String text = "{\"config\": [\n  {\"source_repo_version\": \"a\",, \"dest_repo\": \"b\"}]}";

        assertRefused(() -> CopyRequest.parse(text, "c.json"), ErrorCode.INVALID_INPUT)
                .hasMessageStartingWith("copy request c.json: malformed JSON at line 2, column 31: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void malformedYamlIsRefusedWithLineAndColumn() {
        String text = "config:\n  - source_repo_version: a\n    dest_repo: [b\n";

        assertRefused(() -> CopyRequest.parse(text, "c.yaml"), ErrorCode.INVALID_INPUT)
                .hasMessageStartingWith("copy request c.yaml: malformed YAML at line 4, column 1: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void duplicateKeyIsRefused() {
        String text = "{\"config\": [], \"config\": []}";

        assertRefused(() -> CopyRequest.parse(text, "c.json"), ErrorCode.INVALID_INPUT)
                .hasMessageStartingWith("copy request c.json: malformed JSON at line 1, column ")
                .hasMessageContaining("Duplicate field 'config'");
    }

    @Test
    void emptyDocumentIsRefused() {
        assertRefused(() -> CopyRequest.parse("  \n", "c.yaml"), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request c.yaml: the request is empty");
    }

    @Test
    void documentThatIsNotAMappingIsRefused() {
        assertRefused(() -> CopyRequest.parse("[1, 2]", "c.json"), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request c.json: the request must be a mapping with a 'config' list, not [1,2]");
    }

    @Test
    void missingConfigIsRefused() {
        assertRefused(() -> CopyRequest.parse("dependency_solving: false", "c.yaml"), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request c.yaml: config: missing (a list of entries with source_repo_version and dest_repo)");
    }

    @Test
    void emptyConfigIsRefused() {
        assertRefused(() -> CopyRequest.parse("{\"config\": []}", "c.json"), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request c.json: config: the list is empty");
    }

    @Test
    void emptyConfigBuiltInCodeIsRefused() {
        assertRefused(() -> CopyRequest.of(List.of()), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request: config: the list is empty");
    }

    @Test
    void missingEntryKeysAreNamedByPlace() {
        assertRefused(() -> CopyRequest.parse("config: [{dest_repo: b}, {source_repo_version: a}]", "c.yaml"),
                ErrorCode.INVALID_INPUT)
                .hasMessage("copy request c.yaml: 2 problems: config[0].source_repo_version: missing; config[1].dest_repo: missing");
    }

    @Test
    void wrongTypesAreNamedByPlace() {
        String text = """
                dependency_solving: "yes"
                config:
                  - source_repo_version: 7
                    dest_repo: b
                    dest_base_version: two
                    content: rpm.package:bash
                  - source_repo_version: a
                    dest_repo: b
                    content: [42]
                  - just a string
                """;

        assertRefused(() -> CopyRequest.parse(text, "c.yaml"), ErrorCode.INVALID_INPUT).hasMessage("copy request c.yaml: 6 problems: "
                + "dependency_solving: must be true or false, not \"yes\"; "
                + "config[0].source_repo_version: must be a NAME or NAME@N string, not 7; "
                + "config[0].dest_base_version: must be a version number (0 or more), not \"two\"; "
                + "config[0].content: must be a list of TYPE:LABEL names (omit it to copy the whole version), not \"rpm.package:bash\"; "
                + "config[1].content[0]: must be a TYPE:LABEL string, not 42; "
                + "config[2]: must be a mapping with source_repo_version and dest_repo, not \"just a string\"");
    }

    @Test
    void negativeBaseVersionIsRefused() {
        String text = "config: [{source_repo_version: a, dest_repo: b, dest_base_version: -1}]";

        assertRefused(() -> CopyRequest.parse(text, "c.yaml"), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request c.yaml: config[0].dest_base_version: must be a version number (0 or more), not -1");
    }

    @Test
    void unknownKeysAreRefused() {
        String text = "{\"dry_run\": true, \"config\": [{\"source_repo_version\": \"a\", \"dest_repo\": \"b\", \"colour\": 1}]}";

        assertRefused(() -> CopyRequest.parse(text, "c.json"), ErrorCode.INVALID_INPUT).hasMessage("copy request c.json: 2 problems: "
                + "dry_run: unknown key (expected dependency_solving, dependency_upgrade, include_recommends, config); "
                + "config[0].colour: unknown key (expected source_repo_version, dest_repo, dest_base_version, content)");
    }

    @Test
    void badNamesAreNamedByPlace() {
        String text = "config: [{source_repo_version: 'a@x', dest_repo: b, content: [nocolon, 'Bad.Type:x', 'file.file:']}]";

        assertRefused(() -> CopyRequest.parse(text, "c.yaml"), ErrorCode.INVALID_INPUT).hasMessage("copy request c.yaml: 4 problems: "
                + "config[0].source_repo_version: 'a@x' is not NAME or NAME@N: the version must be a number; "
                + "config[0].content[0]: 'nocolon' is not TYPE:LABEL (such as rpm.package:bash-5.1.8-6.el9.x86_64); "
                + "config[0].content[1]: 'Bad.Type:x' is not TYPE:LABEL (such as rpm.package:bash-5.1.8-6.el9.x86_64); "
                + "config[0].content[2]: 'file.file:' is not TYPE:LABEL (such as rpm.package:bash-5.1.8-6.el9.x86_64)");
    }

    @Test
    void manyProblemsAreCountedAndTheFirstListedOnABoundedLine() {
        String names = String.join(", ", java.util.Collections.nCopies(400_000, "nocolon"));
        String text = "config: [{source_repo_version: a, dest_repo: b, content: [" + names + "]}]";

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> CopyRequest.parse(text, "c.yaml"));

        assertThat(refused).isInstanceOf(AirlockException.class).hasMessageStartingWith("copy request c.yaml: 400000 problems: "
                + "config[0].content[0]: 'nocolon' is not TYPE:LABEL")
                .hasMessageNotContaining("config[0].content[20]");
        int listed = refused.getMessage().split("; config\\[0]\\.content\\[").length;
        assertThat(refused.getMessage()).endsWith("; … and " + (400_000 - listed) + " more").hasSizeLessThan(1_000);
    }

    @Test
    void aLongProblemIsCut() {
        String text = "config: [{source_repo_version: a, dest_repo: b, content: [" + "n".repeat(100_000) + "]}]";

        assertRefused(() -> CopyRequest.parse(text, "c.yaml"), ErrorCode.INVALID_INPUT)
                .hasMessageStartingWith("copy request c.yaml: config[0].content[0]: 'nnnn")
                .hasMessageEndingWith("n...")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }

    @Test
    void aRequestThatIsNotARegularFileIsRefusedUnread() {
        // /dev/zero never ends: reading it whole ended in an OutOfMemoryError.
        assertRefused(() -> CopyRequest.parse(Path.of("/dev/zero")), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request /dev/zero is not a regular file");
    }

    @Test
    void aRequestLargerThanTheLimitIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.yaml");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(CopyRequest.MAX_SIZE + 1L);
        }

        assertRefused(() -> CopyRequest.parse(file), ErrorCode.INVALID_INPUT)
                .hasMessage("copy request " + file + " is larger than the limit of 64 MiB");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        return assertThatThrownBy(call).isInstanceOf(AirlockException.class)
                .satisfies(e -> assertThat(((AirlockException) e).code()).isEqualTo(code));
    }
}
