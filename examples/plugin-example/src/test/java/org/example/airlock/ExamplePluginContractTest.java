package org.example.airlock;

import io.airlock.core.ingest.IngestFile;
import io.airlock.testing.kit.PluginContract;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The example plugin against Airlock's engines, through the contract test kit. */
final class ExamplePluginContractTest {

    @Test
    void keepsTheContract() {
        PluginContract.of(ExamplePlugin::new)
                .sample(sink -> {
                    // The distribution first, referring to a project given afterwards.
                    byte[] sdist = "requests source".getBytes(StandardCharsets.UTF_8);
                    sink.add(new Distribution("requests-2.31.0.tar.gz", sha256(sdist), "2.31.0", Project.named("requests")),
                            IngestFile.of("requests-2.31.0.tar.gz", new ByteArrayInputStream(sdist)));
                    sink.add(new Project("requests", "HTTP for Humans"));
                    sink.add(new Project("idle", null));
                })
                .check();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
