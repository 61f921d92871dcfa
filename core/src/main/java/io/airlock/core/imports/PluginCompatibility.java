package io.airlock.core.imports;

import io.airlock.core.archive.Manifest;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ErrorCode;

/** Checks that an export's plugins and content types are installed here in a compatible version. */
final class PluginCompatibility {

    private PluginCompatibility() {
    }

    static void check(Manifest manifest, PluginRegistry plugins, String source) {
        for (Manifest.PluginVersion needed : manifest.plugins()) {
            ContentPlugin installed = plugins.plugin(needed.name()).orElseThrow(() -> new AirlockException(
                    ErrorCode.PLUGIN_INVALID, source + " needs plugin '" + printable(needed.name()) + "' " + printable(needed.version())
                            + ", which is not installed"));
            if (!major(installed.version()).equals(major(needed.version()))) {
                throw new AirlockException(ErrorCode.PLUGIN_INVALID, source + " was made with plugin '" + needed.name() + "' "
                        + printable(needed.version()) + ", but " + installed.version() + " is installed; only the same major version can import it");
            }
        }
        for (String type : manifest.content().keySet()) {
            if (plugins.contentType(type).isEmpty()) {
                throw new AirlockException(ErrorCode.PLUGIN_INVALID, source + " holds content type '" + printable(type)
                        + "', which no installed plugin declares");
            }
            String plugin = plugins.pluginOf(type).name();
            if (manifest.plugins().stream().noneMatch(p -> p.name().equals(plugin))) {
                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, source + " holds content type '" + type
                        + "' but does not list its plugin '" + plugin + "'");
            }
        }
    }

    private static String printable(String text) {
        return io.airlock.core.store.RelativePaths.printable(text);
    }

    private static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }
}
