package io.airlock.plugin.file;

import io.airlock.core.ingest.IngestFile;
import io.airlock.core.ingest.IngestSink;
import io.airlock.testing.kit.PluginContract;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The file plugin against the engines, through the contract test kit. */
@Tag("persistence")
final class FilePluginContractTest {

    @Test
    void filesSurviveExportImportCopyAndDigestsAreStable() {
        PluginContract.of(FilePlugin::new)
                .sample(sink -> {
                    add(sink, "README", "read me");
                    add(sink, "dir/sub/data.bin", "\u0000\u0001 binary-ish");
                    add(sink, "empty", "");
                })
                .check();
    }

    private static void add(IngestSink sink, String path, String text) {
        IngestFile stored = sink.store(IngestFile.of(path, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        sink.add(new FileContent(path, stored.sha256().orElseThrow()), stored);
    }
}
