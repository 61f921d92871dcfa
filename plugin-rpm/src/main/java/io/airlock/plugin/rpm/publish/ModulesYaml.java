package io.airlock.plugin.rpm.publish;

import java.io.IOException;
import java.io.Writer;

/**
 * {@code modules.yaml}: one YAML document per module build, defaults (and any other modulemd
 * document kind a unit keeps), each written as the original text the unit kept, framed by
 * {@code ---} and {@code ...}.
 */
final class ModulesYaml {

    private final Writer out;

    ModulesYaml(Writer out) {
        this.out = out;
    }

    void document(String snippet) throws IOException {
        String text = snippet.endsWith("\n") ? snippet : snippet + "\n";
        if (!text.startsWith("---")) {
            out.write("---\n");
        }
        out.write(text);
        if (!text.endsWith("...\n")) {
            out.write("...\n");
        }
    }
}
