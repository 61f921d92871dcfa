package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * A comps {@code <langpacks>} block: which language pack to install for which package. A repository
 * has at most one, so the label is constant ({@value #LABEL}); identified by content digest.
 */
@Entity
@Table(name = "rpm_packagelangpacks")
@DiscriminatorValue(PackageLangpacks.TYPE)
public class PackageLangpacks extends Content {

    public static final String TYPE = "rpm.packagelangpacks";
    public static final String LABEL = "langpacks";

    @NaturalKey
    @Column(name = "digest", nullable = false, length = 64)
    private String digest;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<LangpackMatch> matches = new ArrayList<>();

    protected PackageLangpacks() {
    }

    public PackageLangpacks(List<LangpackMatch> matches) {
        this.matches = matches;
        this.digest = Digests.of(matches);
    }

    @Override
    public String label() {
        return LABEL;
    }

    public String digest() { return digest; }
    public List<LangpackMatch> matches() { return matches; }

    /** {@code <match name="…" install="…"/>}: for package {@code name}, install {@code install} (a pattern with %s). */
    public record LangpackMatch(String name, String install) {
    }
}
