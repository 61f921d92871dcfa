package io.airlock.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.ingest.IngestFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kit passes a plugin that keeps the contract and names what a plugin that breaks it breaks. */
@Tag("persistence")
final class PluginContractTest {

    @Test
    void aPluginWithAReferenceBetweenTypesGivenInTheWrongOrderPasses() {
        PluginContract.of(KitPlugin::new)
                .sample(sink -> {
                    sink.add(new KitRelease("tool-1.0.tar.gz", new KitTool("tool", null)),
                            IngestFile.of("tool-1.0.tar.gz", new ByteArrayInputStream("v1".getBytes(StandardCharsets.UTF_8))));
                    sink.add(new KitRelease("tool-2.0.tar.gz", new KitTool("tool", null)), IngestFile.onDemand("tool-2.0.tar.gz"));
                    sink.add(new KitTool("tool", "https://example.org/tool"));
                    sink.add(new KitTool("lonely", null));
                })
                .check();
    }

    @Test
    void aNaturalKeyThatChangesFromOneInstanceToTheNextFails() {
        PluginContract contract = PluginContract.of(UnstablePlugin::new).sample(sink -> sink.add(new UnstableThing("thing")));

        AssertionError failed = catchThrowableOfType(AssertionError.class, contract::check);

        assertThat(failed).hasMessageContaining("units created when the same sample is given again (natural-key digests unstable?)");
    }
}
