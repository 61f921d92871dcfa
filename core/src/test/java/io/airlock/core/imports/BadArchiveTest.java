package io.airlock.core.imports;

import static io.airlock.core.imports.ExportImportRoundTripTest.addWidgets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.WidgetPlugin;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.TamperedArchives.Item;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Imports of damaged or hostile exports: each is refused with the right error code and one line
 * that names the problem and where it is, and leaves the downstream installation exactly as it was
 * (rows and artifact files).
 */
@Tag("persistence")
final class BadArchiveTest {

    private static final String BAD = "bad";

    // --- table of contents and chunks ---

    @Test
    void aMissingTableOfContentsIsNotFound() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            existingState(downstream);
            Path toc = up.path("exports").resolve("nothing-toc.json");

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(refused).hasMessage("table of contents " + toc + " not found");
        }
    }

    @Test
    void aTableOfContentsThatIsNotJsonIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.empty());
            Files.writeString(toc, "this is not JSON\n");
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageStartingWith("table of contents " + toc + " is not valid JSON: ");
        }
    }

    @Test
    void aTableOfContentsOfAnUnknownFormatVersionIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.empty());
            TamperedArchives.editToc(toc, root -> root.put("format_version", 3));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("table of contents " + toc + ": format version 3 is not supported (this Airlock reads versions 1 and 2)");
        }
    }

    @Test
    void aMissingChunkIsRefusedNamingIt() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            Files.delete(toc.resolveSibling("good.tar.000002"));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export file good.tar.000002 is missing from " + toc.getParent());
        }
    }

    @Test
    void aChunkMissingItsLastByteIsRefusedNamingIt() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            truncate(toc.resolveSibling("good.tar.000001"));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export file good.tar.000001 has 2047 bytes but the table of contents gives 2048");
        }
    }

    @Test
    void aLastChunkMissingItsLastByteIsRefusedNamingIt() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            List<Path> chunks = chunks(toc);
            Path last = chunks.get(chunks.size() - 1);
            long size = Files.size(last);
            truncate(last);
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export file " + last.getFileName() + " has " + (size - 1)
                    + " bytes but the table of contents gives " + size);
        }
    }

    @Test
    void swappedChunksAreRefusedNamingTheFirstOutOfPlace() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            Path first = toc.resolveSibling("good.tar.000000");
            Path second = toc.resolveSibling("good.tar.000001");
            byte[] firstBytes = Files.readAllBytes(first);
            Files.write(first, Files.readAllBytes(second));
            Files.write(second, firstBytes);
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageStartingWith("export file good.tar.000000 has sha256 ")
                    .hasMessageContaining(" but the table of contents gives ");
        }
    }

    @Test
    void oneChangedByteInAChunkIsRefusedNamingTheChunk() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            // The changed byte is inside an artifact's bytes: the artifact's own digest fails first,
            // but the damaged chunk is the cause, and it is what the message must name.
            Path damaged = flipByteOf(chunks(toc), "bytes of b");
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageStartingWith("export file " + damaged.getFileName() + " has sha256 ")
                    .hasMessageContaining(" but the table of contents gives ");
        }
    }

    // --- tar entries ---

    @Test
    void anEntryWithAnAbsoluteNameIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> items.add(afterFirstArtifact(items), Item.file("/etc/passwd", "root:x:0:0::/root:/bin/sh\n")));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", entry '/etc/passwd': unsafe relative path '/etc/passwd' (absolute)");
        }
    }

    @Test
    void anEntryWithADotDotComponentIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> items.add(afterFirstArtifact(items), Item.file("artifacts/../../x", "escaped\n")));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", entry 'artifacts/../../x': unsafe relative path 'artifacts/../../x'"
                    + " ('..' component)");
        }
    }

    @Test
    void aSymbolicLinkEntryIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String[] name = new String[1];
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                name[0] = TamperedArchives.artifactEntries(items).get(1);
                TamperedArchives.replace(items, name[0], item -> Item.symlink(item.name(), "/etc/shadow"));
            });
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", entry '" + name[0] + "' is a link (to '/etc/shadow');"
                    + " exports hold only regular files");
        }
    }

    @Test
    void aHardLinkEntryIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String[] name = new String[1];
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                name[0] = TamperedArchives.artifactEntries(items).get(1);
                TamperedArchives.replace(items, name[0], item -> Item.hardlink(item.name(), "manifest.json"));
            });
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", entry '" + name[0] + "' is a link (to 'manifest.json');"
                    + " exports hold only regular files");
        }
    }

    @Test
    void aCharacterDeviceEntryIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> TamperedArchives.replace(items, "content_artifacts.jsonl", item -> Item.characterDevice(item.name())));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", entry 'content_artifacts.jsonl' is a device or FIFO;"
                    + " exports hold only regular files");
        }
    }

    @Test
    void aBlockDeviceEntryIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> items.add(afterFirstArtifact(items), Item.blockDevice("sda")));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", entry 'sda' is a device or FIFO; exports hold only regular files");
        }
    }

    @Test
    void artifactEntriesOutOfTheListsOrderAreRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            List<String> names = new ArrayList<>();
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                names.addAll(TamperedArchives.artifactEntries(items));
                int first = TamperedArchives.indexOf(items, names.get(0));
                items.add(first, items.remove(first + 1));
            });
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ": found entry '" + names.get(1) + "' where '" + names.get(0) + "' belongs");
        }
    }

    @Test
    void anEntryAfterTheLastMembershipIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> items.add(Item.file("membership/1.keys", new byte[32])));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + " has an unexpected entry 'membership/1.keys' after its last entry");
        }
    }

    @Test
    void aLinkInAPlainTarWithoutTableOfContentsIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path tar = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> TamperedArchives.replace(items, "artifacts.jsonl", item -> Item.symlink(item.name(), "/etc/passwd")))
                    .resolveSibling(BAD + ".tar");
            existingState(downstream);

            AirlockException refused = refused(downstream, down, tar);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + tar + ", entry 'artifacts.jsonl' is a link (to '/etc/passwd');"
                    + " exports hold only regular files");
        }
    }

    @Test
    void aTruncatedPlainTarWithoutTableOfContentsIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.empty());
            Path tar = toc.resolveSibling("good.tar");
            byte[] bytes = Files.readAllBytes(tar);
            int cut = indexOf(bytes, "bytes of b") + 5; // inside b's artifact
            Files.write(tar, Arrays.copyOf(bytes, cut));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, tar);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageMatching("export " + Pattern.quote(tar.toString())
                    + ", entry 'artifacts/[0-9a-f]{2}/[0-9a-f]{64}' cannot be read whole: Truncated TAR archive");
        }
    }

    // --- artifacts ---

    @Test
    void anArtifactEntryLongerThanTheListSaysIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String[] name = new String[1];
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                name[0] = TamperedArchives.artifactEntries(items).get(0);
                TamperedArchives.replace(items, name[0], item -> item.withText(item.text() + "!"));
            });
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", entry '" + name[0] + "' has 11 bytes but the artifact list says 10");
        }
    }

    @Test
    void anArtifactWhoseBytesDoNotMatchItsNameIsRefusedAndNotStored() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String[] name = new String[1];
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                name[0] = TamperedArchives.artifactEntries(items).get(0);
                TamperedArchives.replace(items, name[0], item -> item.withBytes(TamperedArchives.flip(item.bytes(), 3)));
            });
            existingState(downstream);
            List<String> storedBefore = Snapshot.of(downstream, down).storeFiles();

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", entry '" + name[0] + "': artifact bytes have sha256 ")
                    .hasMessageEndingWith(" but " + name[0].substring(name[0].lastIndexOf('/') + 1) + " was expected");
            assertThat(Snapshot.of(downstream, down).storeFiles()).isEqualTo(storedBefore);
        }
    }

    @Test
    void aCorruptArtifactAfterGoodOnesRemovesTheGoodOnesItStored() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addLargeWidgets(upstream, 5, 700_000);
            Path good = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("good"), ProgressListener.NONE).toc().orElseThrow();
            String[] last = new String[1];
            Path toc = TamperedArchives.tamper(good, up.path("tampered"), BAD, OptionalLong.of(1 << 20), items -> {
                List<String> artifacts = TamperedArchives.artifactEntries(items);
                last[0] = artifacts.get(artifacts.size() - 1);
                TamperedArchives.replace(items, last[0], item -> item.withBytes(TamperedArchives.flip(item.bytes(), 500_000)));
            });
            existingState(downstream);
            Snapshot before = Snapshot.of(downstream, down);
            AtomicInteger mostStored = new AtomicInteger();
            ProgressListener watchStore = (phase, done, total) -> {
                if (phase.equals("artifacts")) {
                    mostStored.accumulateAndGet(storeFileCount(down), Math::max);
                }
            };

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ImportEngine(downstream).importArchive(ImportRequest.of(toc), watchStore));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", entry '" + last[0] + "': artifact bytes have sha256 ");
            assertThat(mostStored.get()).as("store files while the good artifacts were being imported")
                    .isEqualTo(before.storeFiles().size() + 4);
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    @Test
    void aCorruptSmallArtifactAfterGoodOnesWrittenByThePoolLeavesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addLargeWidgets(upstream, 2_500, 200); // more than a batch of 1,000 rows: some are written before the failure
            Path good = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("good"), ProgressListener.NONE).toc().orElseThrow();
            String[] corrupt = new String[1];
            Path toc = TamperedArchives.tamper(good, up.path("tampered"), BAD, OptionalLong.empty(), items -> {
                List<String> artifacts = TamperedArchives.artifactEntries(items);
                corrupt[0] = artifacts.get(2_200);
                TamperedArchives.replace(items, corrupt[0], item -> item.withBytes(TamperedArchives.flip(item.bytes(), 100)));
            });
            existingState(downstream);
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ImportEngine(downstream).importArchive(ImportRequest.of(toc), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", entry '" + corrupt[0] + "': artifact bytes have sha256 ");
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    // --- manifest ---

    @Test
    void aManifestOfAnUnknownFormatVersionIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> TamperedArchives.editJson(items, "manifest.json", m -> m.put("format_version", 3)));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", manifest.json: format version 3 is not supported"
                    + " (this Airlock reads versions 1 and 2)");
        }
    }

    @Test
    void aPluginThatIsNotInstalledIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> TamperedArchives.editJson(items,
                    "manifest.json", m -> m.withArray("plugins").addObject().put("name", "nope").put("version", "1.0.0")));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(refused).hasMessage("export " + toc + " needs plugin 'nope' 1.0.0, which is not installed");
        }
    }

    @Test
    void aPluginOfAnotherMajorVersionIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> TamperedArchives.editJson(items,
                    "manifest.json", m -> m.withArray("plugins").forEach(p -> ((ObjectNode) p)
                            .put("version", "2.0.0"))));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(refused).hasMessage("export " + toc + " was made with plugin 'test' 2.0.0, but 1.0.0 is installed;"
                    + " only the same major version can import it");
        }
    }

    @Test
    void anUnknownContentTypeIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                TamperedArchives.editJson(items, "manifest.json", m -> m.withObject("content").put("test.gadget", 1));
                items.add(TamperedArchives.indexOf(items, "content/test.widget.jsonl"),
                        Item.file("content/test.gadget.jsonl", "{\"name\":\"g\"}\n"));
            });
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(refused).hasMessage("export " + toc + " holds content type 'test.gadget', which no installed plugin declares");
        }
    }

    @Test
    void rowCountsThatDisagreeWithTheManifestAreRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> TamperedArchives.editJson(items, "manifest.json", m -> m.withObject("content").put("test.widget", 4)));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", content/test.widget.jsonl has 3 rows but the manifest says 4");
        }
    }

    @Test
    void aLinkCountThatDisagreesWithTheManifestIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> TamperedArchives.editJson(items, "manifest.json", m -> m.put("content_artifacts", 2)));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ": content_artifacts.jsonl has 3 lines but the manifest says 2");
        }
    }

    @Test
    void anArtifactCountThatDisagreesWithTheManifestIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> TamperedArchives.editJson(items, "manifest.json", m -> m.withObject("artifacts").put("count", 4)));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ": the artifact list has 3 artifacts but the manifest says 4");
        }
    }

    // --- content rows ---

    @Test
    void aMalformedRowIsRefusedNamingEntryAndLine() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> TamperedArchives.editLines(items,
                    "content/test.widget.jsonl", lines -> lines.set(1, lines.get(1).substring(0, lines.get(1).length() - 1))));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", content/test.widget.jsonl, line 2 is not valid JSON: ");
        }
    }

    @Test
    void aRowMissingAFieldIsRefusedNamingEntryAndLine() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> TamperedArchives.editLines(items,
                    "content/test.widget.jsonl", lines -> lines.set(1, "{\"name\":\"b\"}")));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", content/test.widget.jsonl, line 2:"
                    + " the row cannot be read as test.widget (java.lang.NullPointerException");
        }
    }

    // --- membership and destinations ---

    @Test
    void aMembershipThatDoesNotMatchItsManifestDigestIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            // One unit dropped from the membership (and from its count), so every key left resolves.
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                TamperedArchives.replace(items, "membership/0.keys", item -> item.withBytes(Arrays.copyOf(item.bytes(), 64)));
                TamperedArchives.editJson(items, "manifest.json",
                        m -> ((ObjectNode) m.withArray("repositories").get(0)).put("content_count", 2));
            });
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", membership/0.keys has sha256 ")
                    .hasMessageContaining(" but the manifest says ");
        }
    }

    @Test
    void anIncrementalExportWithAFullMembershipWhoseBaseIsMissingChangesNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a");
            addWidgets(upstream, "b");
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .since(List.of(VersionRef.of("r", 1))).withFullMembership(), ProgressListener.NONE).toc().orElseThrow();
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", membership/0.keys: unit with key digest ")
                    .hasMessageEndingWith(" of r@2 is neither in the export nor in this installation"
                            + " (import the export of its base version 1 first)");
        }
    }

    @Test
    void aDestinationOfAnotherFamilyIsAConflict() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up);
                Airlock downstream = Airlock.builder().jdbcUrl(down.url()).credentials(down.user(), down.password())
                        .storage(down.path("artifacts")).discoverPlugins(false)
                        .plugin(new WidgetPlugin()).plugin(new OtherPlugin()).build()) {
            Path toc = goodExport(upstream, up, OptionalLong.empty());
            downstream.repositories().create("r", "other", null);
            downstream.repositories().create("w", "test", null);
            List<UUID> widgets = TestInstallations.save(downstream, new Widget("x", 1), new Widget("y", 1));
            downstream.repositories().modify("w", OptionalInt.empty(), d -> d.add(widgets));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessage("destination repository 'r' holds other content, but the exported 'r' holds test content");
        }
    }

    // --- links: only the export's own units, once per path ---

    @Test
    void aLinkToAUnitTheExportDoesNotCarryIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            // Widget x exists downstream only: the archive names it to plant a file on it.
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> addLink(items, widgetDigest("x"), "injected.sh", artifactOf(items, 0)));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", content_artifacts.jsonl, line 4: unit " + widgetDigest("x")
                    + " is not one of this export's units; links attach files only to units whose rows the export carries");
        }
    }

    @Test
    void aLinkOfANewUnitToAnArtifactNeitherExportedNorInstalledIsRefusedWithItsLine() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String nowhere = "ab".repeat(32);
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> addLink(items, widgetDigest("b"), "extra.bin", nowhere));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", content_artifacts.jsonl, line 4: artifact " + nowhere
                    + " is neither in the export nor in this installation");
        }
    }

    @Test
    void aLinkOfAReusedUnitToAnArtifactNeitherExportedNorInstalledIsRefusedWithItsLine() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String nowhere = "cd".repeat(32);
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> addLink(items, widgetDigest("a"), "extra.bin", nowhere));
            existingState(downstream);
            addWidgets(downstream, "a"); // the import reuses a, and does not write its links

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", content_artifacts.jsonl, line 4: artifact " + nowhere
                    + " is neither in the export nor in this installation");
        }
    }

    @Test
    void verifyRefusesALinkToAUnitTheExportDoesNotCarry() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> addLink(items, widgetDigest("x"), "injected.sh", artifactOf(items, 0)));

            AirlockException refused = verifyRefusal(upstream, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", content_artifacts.jsonl, line 4: unit " + widgetDigest("x")
                    + " is not one of this export's units; links attach files only to units whose rows the export carries");
        }
    }

    @Test
    void aDuplicateLinkLineIsRefusedNamingTheSecond() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                String first = TamperedArchives.entry(items, "content_artifacts.jsonl").lines().get(0);
                TamperedArchives.editLines(items, "content_artifacts.jsonl", lines -> lines.add(first));
                TamperedArchives.editJson(items, "manifest.json", m -> m.put("content_artifacts", 4));
            });
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageMatching(Pattern.quote("export " + toc + ", content_artifacts.jsonl, line 4: unit ")
                    + "[0-9a-f]{64} is given file '[abc]\\.bin' a second time");
        }
    }

    @Test
    void verifyRefusesADuplicateLinkLine() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                String first = TamperedArchives.entry(items, "content_artifacts.jsonl").lines().get(0);
                TamperedArchives.editLines(items, "content_artifacts.jsonl", lines -> lines.add(first));
                TamperedArchives.editJson(items, "manifest.json", m -> m.put("content_artifacts", 4));
            });

            AirlockException refused = verifyRefusal(upstream, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageMatching(Pattern.quote("export " + toc + ", content_artifacts.jsonl, line 4: unit ")
                    + "[0-9a-f]{64} is given file '[abc]\\.bin' a second time");
        }
    }

    @Test
    void aLinkPathLongerThanTheLimitIsRefusedWithAShortMessage() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String path = "d/".repeat(1500) + "f";
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> addLink(items, widgetDigest("a"), path, artifactOf(items, 0)));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", content_artifacts.jsonl, line 4: unsafe relative path '"
                    + path.substring(0, 100) + "… (3001 characters)' (longer than 2048 characters)");
        }
    }

    @Test
    void aLinkLineOfFifteenMebibytesIsRefusedAtTheLineLimit() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> addLink(items, widgetDigest("a"), "p".repeat(15 << 20), artifactOf(items, 0)));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", content_artifacts.jsonl, line 4 is longer than 65536 bytes");
        }
    }

    @Test
    void aTwoMebibyteEntryNameIsQuotedInAShortMessage() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String name = "n".repeat(2 << 20);
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up,
                    items -> items.addAll(afterFirstArtifact(items), List.of(Item.paxPath(name), Item.file("placeholder", "x"))));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            String quoted = "n".repeat(100) + "… (2097152 characters)";
            assertThat(refused).hasMessage("export " + toc + ", entry '" + quoted + "': unsafe relative path '" + quoted
                    + "' (longer than 2048 characters)");
        }
    }

    @Test
    void anExportWhoseEntriesHavePaxModificationTimesAsEarlierReleasesWroteImportsWhole() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            // Releases before 2026-12-01 gave every entry a pax header for its time's fraction of a second.
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> {
                List<Item> entries = List.copyOf(items);
                items.clear();
                for (Item entry : entries) {
                    items.add(Item.pax("mtime", "1796109259.4120000"));
                    items.add(entry);
                }
            });

            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            assertThat(ExportImportRoundTripTest.contentOf(downstream, "r")).containsOnlyKeys("a", "b", "c")
                    .isEqualTo(ExportImportRoundTripTest.contentOf(upstream, "r"));
        }
    }

    @Test
    void aUnitAlreadyInTheInstallationKeepsItsOwnFiles() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            // Downstream's widget a has its file on demand; upstream's a (same key) has a file and
            // one more. The type declares no file digest, so nothing proves the archive's files are a's.
            downstream.repositories().create("r", "test", null);
            saveWidget(downstream, "a", new UnitFile("a.bin", Optional.empty()));
            upstream.repositories().create("r", "test", null);
            StoredArtifact bytes = upstream.artifacts().put(new ByteArrayInputStream("planted".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty());
            saveWidget(upstream, "a", new UnitFile("a.bin", Optional.of(bytes)), new UnitFile("extra.sh", Optional.of(bytes)));
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("good"), ProgressListener.NONE).toc().orElseThrow();

            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).mapping("r", "s").creatingRepositories(),
                    ProgressListener.NONE);

            assertThat(ExportImportRoundTripTest.contentOf(downstream, "s")).containsExactly(Map.entry("a", "a.bin=on-demand"));
            assertThat(ExportImportRoundTripTest.contentOf(downstream, "r")).containsExactly(Map.entry("a", "a.bin=on-demand"));
        }
    }

    @Test
    void aVersionHoldingAFileAndADirectoryAtOnePathIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            StoredArtifact bytes = upstream.artifacts().put(new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty());
            saveWidget(upstream, "one", new UnitFile("p", Optional.of(bytes)));
            saveWidget(upstream, "two", new UnitFile("p-x", Optional.of(bytes)), new UnitFile("p/q", Optional.of(bytes)));
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("good"), ProgressListener.NONE).toc().orElseThrow();
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.keys: r would hold both 'p' and 'p/q',"
                    + " a file and a directory at one path, which can never be published");
        }
    }

    // --- format_version: an integer that is 1, nothing else ---

    @Test
    void aManifestFormatVersionThatOnlyTruncatesToOneIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(goodExport(upstream, up, OptionalLong.empty()), up, items -> TamperedArchives.editJson(items,
                    "manifest.json", m -> m.put("format_version", new BigInteger("18446744073709551617"))));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", manifest.json: format version 18446744073709551617 is not supported"
                    + " (this Airlock reads versions 1 and 2)");
        }
    }

    @Test
    void aTableOfContentsFormatVersionThatOnlyTruncatesToOneIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.empty());
            TamperedArchives.editToc(toc, root -> root.put("format_version", new BigInteger("18446744073709551617")));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("table of contents " + toc + ": format version 18446744073709551617 is not supported"
                    + " (this Airlock reads versions 1 and 2)");
        }
    }

    @Test
    void aTableOfContentsFormatVersionOfOnePointZeroIsRefusedQuotingIt() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.empty());
            TamperedArchives.editToc(toc, root -> root.put("format_version", new BigDecimal("1.0")));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("table of contents " + toc + ": format version 1.0 is not supported"
                    + " (this Airlock reads versions 1 and 2)");
        }
    }

    // --- every artifact entry is hashed ---

    @Test
    void aDamagedArtifactIsRefusedEvenWhenTheStoreHoldsTheRealOne() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path good = goodExport(upstream, up, OptionalLong.empty());
            existingState(downstream);
            new ImportEngine(downstream).importArchive(ImportRequest.of(good), ProgressListener.NONE);
            String[] name = new String[1];
            Path toc = tamper(good, up, items -> {
                name[0] = TamperedArchives.artifactEntries(items).get(0);
                TamperedArchives.replace(items, name[0], item -> item.withBytes(TamperedArchives.flip(item.bytes(), 3)));
            });

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", entry '" + name[0] + "': artifact bytes have sha256 ")
                    .hasMessageEndingWith(" but " + name[0].substring(name[0].lastIndexOf('/') + 1) + " was expected");
        }
    }

    // --- the export's files: regular files of the declared size ---

    @Test
    @Timeout(60)
    void aChunkThatIsAFifoIsRefusedWithoutWaitingForIt() throws IOException, InterruptedException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            Path chunk = toc.resolveSibling("good.tar.000001");
            Files.delete(chunk);
            mkfifo(chunk);
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export file good.tar.000001 in " + toc.getParent()
                    + " is not a regular file (a FIFO, socket or device)");
        }
    }

    @Test
    @Timeout(60)
    void aChunkThatLinksToDevZeroIsRefusedWithoutReadingIt() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            Path chunk = toc.resolveSibling("good.tar.000001");
            Files.delete(chunk);
            Files.createSymbolicLink(chunk, Path.of("/dev/zero"));
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export file good.tar.000001 is a symbolic link to /dev/zero, outside " + toc.getParent()
                    + "; an export's files are read only from its own directory");
        }
    }

    @Test
    void aChunkThatLinksToAFileInItsOwnDirectoryImports() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.of(2048));
            Path chunk = toc.resolveSibling("good.tar.000001");
            Files.move(chunk, toc.resolveSibling("moved.bin"));
            Files.createSymbolicLink(chunk, Path.of("moved.bin"));
            existingState(downstream);

            ImportResult result = new ImportEngine(downstream).importArchive(ImportRequest.of(toc), ProgressListener.NONE);

            assertThat(result.repositories().get(0).version()).contains(2);
            assertThat(ExportImportRoundTripTest.contentOf(downstream, "r")).isEqualTo(ExportImportRoundTripTest.contentOf(upstream, "r"));
        }
    }

    @Test
    @Timeout(60)
    void aTableOfContentsThatIsAFifoIsRefusedWithoutWaitingForIt() throws IOException, InterruptedException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = goodExport(upstream, up, OptionalLong.empty());
            Files.delete(toc);
            mkfifo(toc);
            existingState(downstream);

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("table of contents " + toc + " is not a regular file");
        }
    }

    // --- control: the rewriting itself is faithful ---

    @Test
    void anUntamperedRewriteImports() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path good = goodExport(upstream, up, OptionalLong.empty());
            Path single = TamperedArchives.tamper(good, up.path("single"), BAD, items -> { });
            Path chunked = TamperedArchives.tamper(good, up.path("chunked"), BAD, OptionalLong.of(1024), items -> { });
            existingState(downstream);

            ImportResult first = new ImportEngine(downstream).importArchive(ImportRequest.of(single), ProgressListener.NONE);
            ImportResult second = new ImportEngine(downstream).importArchive(ImportRequest.of(chunked), ProgressListener.NONE);

            assertThat(chunks(chunked)).hasSizeGreaterThan(3);
            assertThat(first.repositories().get(0).version()).contains(2);
            assertThat(second.repositories().get(0).version()).isEmpty();
            assertThat(ExportImportRoundTripTest.contentOf(downstream, "r")).isEqualTo(ExportImportRoundTripTest.contentOf(upstream, "r"));
        }
    }

    // --- membership deltas ---

    @Test
    void deltaEntriesOutOfOrderAreRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> {
                int added = TamperedArchives.indexOf(items, "membership/0.added");
                items.add(added, items.remove(TamperedArchives.indexOf(items, "membership/0.removed")));
            });

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ": found entry 'membership/0.removed' where 'membership/0.added' belongs");
        }
    }

    @Test
    void deltaKeysNotInAscendingOrderAreRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            byte[] descending = MembershipDeltaTest.keys(widgetDigest("d"), widgetDigest("e"));
            byte[] swapped = new byte[64];
            System.arraycopy(descending, 32, swapped, 0, 32);
            System.arraycopy(descending, 0, swapped, 32, 32);
            Path toc = tamper(deltaExport(upstream, up, downstream), up,
                    items -> TamperedArchives.replace(items, "membership/0.added", item -> item.withBytes(swapped)));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.added: keys are not in strictly ascending order at key 1");
            assertThat(verifyRefusal(downstream, toc)).hasMessage(refused.getMessage());
        }
    }

    @Test
    void aDuplicateDeltaKeyIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.replace(items, "membership/0.added",
                    item -> item.withBytes(MembershipDeltaTest.keys(widgetDigest("d"), widgetDigest("d")))));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.added: keys are not in strictly ascending order at key 1");
        }
    }

    @Test
    void aDeltaEntryOfTheWrongSizeIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.replace(items,
                    "membership/0.removed", item -> item.withBytes(Arrays.copyOf(item.bytes(), 33))));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.removed has 33 bytes, not 32 for each of the 1 keys"
                    + " removed from r");
            assertThat(verifyRefusal(downstream, toc)).hasMessage(refused.getMessage());
        }
    }

    @Test
    void aDeltaInAFullExportIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.editJson(items, "manifest.json",
                    m -> ((ObjectNode) m.withArray("repositories").get(0)).putNull("base_version")));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", manifest.json, repositories[0]: a membership delta needs a 'base_version'");
            assertThat(verifyRefusal(downstream, toc)).hasMessage(refused.getMessage());
        }
    }

    @Test
    void aDeltaInAFormatVersion1ManifestIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up,
                    items -> TamperedArchives.editJson(items, "manifest.json", m -> m.put("format_version", 1)));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", manifest.json, repositories[0]: a membership delta"
                    + " ('base_membership_sha256') needs format version 2, not 1");
        }
    }

    @Test
    void deltaCountsThatDoNotAddUpAreRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.editJson(items, "manifest.json",
                    m -> ((ObjectNode) m.withArray("repositories").get(0)).put("added_count", 3)));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", manifest.json, repositories[0]: the base's 3 units less 1 removed"
                    + " plus 3 added are not the 'content_count' 4");
        }
    }

    @Test
    void aFullListBesideADeltaIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            byte[] complete = MembershipDeltaTest.keys(widgetDigest("a"), widgetDigest("c"), widgetDigest("d"), widgetDigest("e"));
            Path before = tamper(deltaExport(upstream, up, downstream), up, items -> items.add(
                    TamperedArchives.indexOf(items, "membership/0.added"), Item.file("membership/0.keys", complete)));
            Path after = TamperedArchives.tamper(before, up.path("tampered-after"), BAD,
                    items -> items.add(items.remove(TamperedArchives.indexOf(items, "membership/0.keys"))));

            AirlockException first = refused(downstream, down, before);
            AirlockException last = refused(downstream, down, after);

            assertThat(first).hasMessage("export " + before + ": found entry 'membership/0.keys' where 'membership/0.added' belongs");
            assertThat(last).hasMessage("export " + after + " has an unexpected entry 'membership/0.keys' after its last entry");
        }
    }

    @Test
    void aKeyBothAddedAndRemovedIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> {
                TamperedArchives.replace(items, "membership/0.removed",
                        item -> item.withBytes(MembershipDeltaTest.keys(widgetDigest("b"), widgetDigest("d"))));
                TamperedArchives.editJson(items, "manifest.json",
                        m -> ((ObjectNode) m.withArray("repositories").get(0)).put("removed_count", 2).put("content_count", 3));
            });

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.removed: key " + widgetDigest("d")
                    + " is also in membership/0.added");
            assertThat(verifyRefusal(downstream, toc)).hasMessage(refused.getMessage());
        }
    }

    @Test
    void aRemovedKeyNotInTheBaseIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.replace(items,
                    "membership/0.removed", item -> item.withBytes(MembershipDeltaTest.keys(widgetDigest("x")))));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.removed: key digest " + widgetDigest("x")
                    + " is removed but is not one of the base membership, which 'r' holds (its version 1)");
        }
    }

    @Test
    void anAddedKeyAlreadyInTheBaseIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.replace(items,
                    "membership/0.added", item -> item.withBytes(MembershipDeltaTest.keys(widgetDigest("a"), widgetDigest("d")))));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.added: key digest " + widgetDigest("a")
                    + " is added but is already one of the base membership, which 'r' holds (its version 1)");
        }
    }

    @Test
    void anAddedKeyOfNoUnitIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.replace(items,
                    "membership/0.added", item -> item.withBytes(MembershipDeltaTest.keys(widgetDigest("d"), widgetDigest("zz")))));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(refused).hasMessage("export " + toc + ", membership/0.added: unit with key digest " + widgetDigest("zz")
                    + " of r@3 is neither in the export nor in this installation");
        }
    }

    @Test
    void aDeltaWhoseResultDoesNotMatchTheManifestIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            String other = "0".repeat(64);
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.editJson(items, "manifest.json",
                    m -> ((ObjectNode) m.withArray("repositories").get(0)).put("membership_sha256", other)));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.ARCHIVE_INVALID);
            assertThat(refused).hasMessageStartingWith("export " + toc + ", membership/0.added and membership/0.removed applied to"
                    + " the base give 4 units with membership sha256 ").hasMessageEndingWith(", but the manifest says 4 units with sha256 "
                    + other);
        }
    }

    @Test
    void aDeltaWhoseBaseDigestDoesNotMatchTheDestinationIsRefused() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            Path toc = tamper(deltaExport(upstream, up, downstream), up, items -> TamperedArchives.editJson(items, "manifest.json",
                    m -> ((ObjectNode) m.withArray("repositories").get(0)).put("base_membership_sha256", "1".repeat(64))));

            AirlockException refused = refused(downstream, down, toc);

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessage("export " + toc + " holds r@3 as changes to its version 1 (3 units), but destination"
                    + " repository 'r' does not hold that version's units (its latest version 1 has 3 other units);"
                    + " import the full export, or an export made with --full-membership");
        }
    }

    // --- helpers ---

    /**
     * Downstream r holds widgets a, b and c, imported from upstream's version 1; upstream then added d
     * and e and removed b (version 3): exporter usb's incremental export of it, "delta"; its TOC.
     */
    private static Path deltaExport(Airlock upstream, TestDatabase up, Airlock downstream) {
        MembershipDeltaTest.baseImported(upstream, up, downstream);
        addWidgets(upstream, "d", "e");
        MembershipDeltaTest.removeWidget(upstream, "b");
        return MembershipDeltaTest.incremental(upstream, up, "delta", false);
    }

    /** Upstream: repository r with widgets a, b and c, one file each; exported whole as "good"; returns the TOC. */
    private static Path goodExport(Airlock upstream, TestDatabase up, OptionalLong chunkSize) {
        upstream.repositories().create("r", "test", null);
        addWidgets(upstream, "a", "b", "c");
        ExportRequest request = ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports")).withName("good");
        if (chunkSize.isPresent()) {
            request = request.withChunkSize(chunkSize.getAsLong());
        }
        return new ExportEngine(upstream).export(request, ProgressListener.NONE).toc().orElseThrow();
    }

    /** Downstream: repository r with one version of widgets x and y, so "unchanged" has something to keep. */
    private static void existingState(Airlock downstream) {
        downstream.repositories().create("r", "test", null);
        addWidgets(downstream, "x", "y");
    }

    private static Path tamper(Path good, TestDatabase up, Consumer<List<Item>> edit) throws IOException {
        return TamperedArchives.tamper(good, up.path("tampered"), BAD, edit);
    }

    /** Imports {@code path}, which must be refused with one line and change nothing; returns the refusal. */
    private static AirlockException refused(Airlock downstream, TestDatabase down, Path path) throws IOException {
        Snapshot before = Snapshot.of(downstream, down);
        AirlockException refused = catchThrowableOfType(AirlockException.class,
                () -> new ImportEngine(downstream).importArchive(ImportRequest.of(path), ProgressListener.NONE));
        assertThat(refused).as("the import of " + path).isNotNull();
        assertThat(refused.getMessage()).as("the message of %s", refused).doesNotContain("\n", "\r");
        assertThat(Snapshot.of(downstream, down)).as("downstream after the refused import").isEqualTo(before);
        return refused;
    }

    /** Adds a line to content_artifacts.jsonl, and counts it in the manifest. */
    private static void addLink(List<Item> items, String unit, String path, String sha256) {
        ObjectNode link = JsonNodeFactory.instance.objectNode().put("unit", unit).put("path", path).put("sha256", sha256);
        TamperedArchives.editLines(items, "content_artifacts.jsonl", lines -> lines.add(link.toString()));
        TamperedArchives.editJson(items, "manifest.json", m -> m.put("content_artifacts", m.get("content_artifacts").asLong() + 1));
    }

    /** The sha256 of the i-th artifact entry. */
    private static String artifactOf(List<Item> items, int index) {
        String name = TamperedArchives.artifactEntries(items).get(index);
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** The key digest of widget {@code name}, revision 1. */
    private static String widgetDigest(String name) {
        return ContentKey.of("test.widget", Map.of("name", name, "revision", 1)).digest();
    }

    /** Stores widget {@code name} (revision 1) with these files and adds it to repository r. */
    /** Saves widget {@code name} (revision 1) with {@code files} and adds it to repository r. */
    static void saveWidget(Airlock airlock, String name, UnitFile... files) {
        List<UUID> ids = airlock.inTransaction(s -> airlock.contentWriter().save(s, List.of(new NewUnit(new Widget(name, 1),
                List.of(files))))).ids();
        airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids));
    }

    /** Verifies {@code toc}, which must be refused with one line; returns the refusal. */
    private static AirlockException verifyRefusal(Airlock airlock, Path toc) {
        AirlockException refused = catchThrowableOfType(AirlockException.class,
                () -> new ArchiveVerifier(airlock.plugins()).verify(toc, ProgressListener.NONE));
        assertThat(refused).as("the verification of " + toc).isNotNull();
        assertThat(refused.getMessage()).as("the message of %s", refused).doesNotContain("\n", "\r");
        return refused;
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).as("mkfifo " + path).isZero();
    }

    private static int afterFirstArtifact(List<Item> items) {
        return TamperedArchives.indexOf(items, TamperedArchives.artifactEntries(items).get(0)) + 1;
    }

    private static List<Path> chunks(Path toc) throws IOException {
        String prefix = toc.getFileName().toString().replace("-toc.json", ".tar.");
        try (Stream<Path> files = Files.list(toc.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    private static void truncate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
    }

    /** Changes the last byte of the first occurrence of {@code text} in a chunk; returns the chunk changed. */
    private static Path flipByteOf(List<Path> chunks, String text) throws IOException {
        for (Path chunk : chunks) {
            byte[] bytes = Files.readAllBytes(chunk);
            int at = indexOf(bytes, text);
            if (at >= 0) {
                Files.write(chunk, TamperedArchives.flip(bytes, at + text.length() - 1));
                return chunk;
            }
        }
        throw new IllegalStateException("'" + text + "' is in no chunk (or spans two)");
    }

    /** Where ASCII {@code text} first occurs in {@code bytes}, or -1. */
    private static int indexOf(byte[] bytes, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds {@code count} widgets with one file each of {@code size} random bytes. */
    private static void addLargeWidgets(Airlock airlock, int count, int size) {
        Random random = new Random(42);
        List<NewUnit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            StoredArtifact artifact = airlock.artifacts().put(new ByteArrayInputStream(bytes), Optional.empty());
            units.add(new NewUnit(new Widget("large" + i, 1), List.of(new UnitFile("large" + i + ".bin", Optional.of(artifact)))));
        }
        List<UUID> ids = airlock.inTransaction(s -> airlock.contentWriter().save(s, units)).ids();
        airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids));
    }

    private static int storeFileCount(TestDatabase db) {
        try {
            return Snapshot.storeFiles(db).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
