package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * A module's defaults ({@code document: modulemd-defaults}): its default stream and each stream's
 * default profiles. Labelled with the module name, so newer defaults replace older ones in a version;
 * identified by module and the digest of the document, since defaults have no version of their own.
 */
@Entity
@Table(name = "rpm_modulemd_defaults")
@DiscriminatorValue(ModulemdDefaults.TYPE)
public class ModulemdDefaults extends Content {

    public static final String TYPE = "rpm.modulemd_defaults";

    @NaturalKey
    @Column(name = "module", nullable = false, length = 255)
    private String module;

    @NaturalKey
    @Column(name = "digest", nullable = false, length = 64)
    private String digest;

    /** The default stream; null when the document names none. */
    @Column(name = "stream", length = 255)
    private String stream;

    /** Stream → default profile names. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private Map<String, List<String>> profiles = new LinkedHashMap<>();

    @Column(name = "snippet", nullable = false, length = RpmText.DOCUMENT)
    private String snippet;

    protected ModulemdDefaults() {
    }

    public ModulemdDefaults(String module, String stream, Map<String, List<String>> profiles, String snippet) {
        this.module = module;
        this.stream = stream;
        this.profiles = profiles;
        this.snippet = snippet;
        this.digest = Digests.sha256(snippet);
    }

    @Override
    public String label() {
        return module;
    }

    public String module() { return module; }
    public String digest() { return digest; }
    public String stream() { return stream; }
    public Map<String, List<String>> profiles() { return profiles; }
    public String snippet() { return snippet; }
}
