package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class PluginsCommandTest {

    @Test
    void listsTheFilePluginWithItsContentType() {
        Cli.Result result = Cli.run("plugins");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.outLines()).anySatisfy(line -> assertThat(line).matches("file\\s+1\\.0\\.0\\s+file\\.file"));
    }

    @Test
    void listsThePluginsFoundOnTheClassPathEvenWithoutContentTypes() {
        Cli.Result result = Cli.run("plugins");

        assertThat(result.outLines()).extracting(line -> line.split("\\s+")[0]).containsExactlyInAnyOrder("file", "rpm");
    }
}
