package io.airlock.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.WidgetPlugin;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PluginRegistryTest {

    @TempDir
    Path jar;

    @Test
    void discoversProvidersListedInServiceFiles() throws IOException {
        try (URLClassLoader loader = loaderDeclaring(WidgetPlugin.class.getName())) {
            List<ContentPlugin> found = PluginRegistry.discover(loader);

            assertThat(found).extracting(ContentPlugin::name).containsExactly("test");
            assertThat(PluginRegistry.of(found).contentTypes()).extracting(ContentType::id).containsExactly("test.widget");
        }
    }

    @Test
    void aProviderListedTwiceIsInstantiatedOnce() throws IOException {
        try (URLClassLoader loader = loaderDeclaring(WidgetPlugin.class.getName(), WidgetPlugin.class.getName())) {
            assertThat(PluginRegistry.discover(loader)).hasSize(1);
        }
    }

    @Test
    void eachDiscoveryGivesPluginObjectsOfItsOwn() throws IOException {
        try (URLClassLoader loader = loaderDeclaring(WidgetPlugin.class.getName())) {
            ContentPlugin first = PluginRegistry.discover(loader).get(0);
            ContentPlugin second = PluginRegistry.discover(loader).get(0);

            assertThat(second).isNotSameAs(first).hasSameClassAs(first);
        }
    }

    @Test
    void twoPluginsClaimingOneTypeAreRefusedNamingBoth() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new WidgetPlugin(), new TestPlugins.Rival())))
                .isInstanceOf(AirlockException.class)
                .hasMessage("content type 'test.widget' is declared by both plugin 'test' (io.airlock.core.WidgetPlugin)"
                        + " and plugin 'rival' (io.airlock.core.plugin.TestPlugins$Rival)")
                .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
    }

    @Test
    void twoPluginsWithOneNameAreRefusedNamingBothClasses() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new WidgetPlugin(), new TestPlugins.Namesake())))
                .hasMessage("two plugins are named 'test': io.airlock.core.WidgetPlugin and io.airlock.core.plugin.TestPlugins$Namesake");
    }

    @Test
    void aProviderThatFailsToStartIsNamedWithItsCause() throws IOException {
        try (URLClassLoader loader = loaderDeclaring(TestPlugins.Broken.class.getName())) {
            assertThatThrownBy(() -> PluginRegistry.discover(loader))
                    .isInstanceOf(AirlockException.class)
                    .hasMessageStartingWith("plugin provider io.airlock.core.plugin.TestPlugins$Broken could not be instantiated: ")
                    .hasMessageContaining("no licence file");
        }
    }

    @Test
    void aProviderClassThatDoesNotExistIsNamed() throws IOException {
        try (URLClassLoader loader = loaderDeclaring("com.example.MissingPlugin")) {
            assertThatThrownBy(() -> PluginRegistry.discover(loader))
                    .isInstanceOf(AirlockException.class)
                    .hasMessageStartingWith("a plugin provider could not be loaded: ")
                    .hasMessageContaining("com.example.MissingPlugin");
        }
    }

    @Test
    void aVersionThatIsNotSemanticIsRefused() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestPlugins.Unversioned())))
                .hasMessage("plugin 'unversioned' (io.airlock.core.plugin.TestPlugins$Unversioned) has version 'latest',"
                        + " which is not MAJOR.MINOR.PATCH");
    }

    @Test
    void familiesAreThePluginNames() {
        PluginRegistry registry = PluginRegistry.of(List.of(new WidgetPlugin(), new TestPlugins.Rival() {
            @Override
            public List<ContentType<?>> contentTypes() {
                return List.of();
            }
        }));

        assertThat(registry.families()).containsExactly("rival", "test");
    }

    @Test
    void aTypeOutsideItsPluginsFamilyIsRefusedAtRegistration() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestPlugins.Rival())))
                .isInstanceOf(AirlockException.class)
                .hasMessage("plugin 'rival' (io.airlock.core.plugin.TestPlugins$Rival) declares content type 'test.widget',"
                        + " whose family 'test' is not the plugin's name; name the type 'rival.widget' or the plugin 'test'")
                .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
    }

    @Test
    void aFieldHibernateCannotMapIsRefusedNamingPluginEntityFieldAndType() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestPlugins.Unmappable())))
                .isInstanceOf(AirlockException.class)
                .hasMessage("plugin 'bad': entity io.airlock.core.plugin.TestPlugins$Attributed field 'attributes' is declared as"
                        + " java.util.Map<java.lang.String, java.lang.Object>, a collection or map, which needs @ElementCollection,"
                        + " or @JdbcTypeCode(SqlTypes.JSON) for a JSON column")
                .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
    }

    @Test
    void anUnknownTypeIsNotFoundByName() {
        PluginRegistry registry = PluginRegistry.of(List.of(new WidgetPlugin()));

        assertThatThrownBy(() -> registry.pluginOf("rpm.package"))
                .hasMessage("unknown content type 'rpm.package' (no installed plugin declares it)");
    }

    /** A class loader whose only addition is a services file listing the given provider names. */
    private URLClassLoader loaderDeclaring(String... providers) throws IOException {
        Path services = jar.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ContentPlugin.class.getName()), String.join("\n", providers) + "\n");
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
    }
}
