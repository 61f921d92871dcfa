package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * A comps {@code <environment>}: groups that make up an installation, plus optional ones. Labelled
 * with its id; identified by id and content digest.
 */
@Entity
@Table(name = "rpm_packageenvironment")
@DiscriminatorValue(PackageEnvironment.TYPE)
public class PackageEnvironment extends Content {

    public static final String TYPE = "rpm.packageenvironment";

    @NaturalKey
    @Column(name = "environment_id", nullable = false, length = 255)
    private String environmentId;

    @NaturalKey
    @Column(name = "digest", nullable = false, length = 64)
    private String digest;

    @Column(name = "name", length = 1024)
    private String name;

    @Column(name = "description", length = RpmText.LONG)
    private String description;

    private Integer displayOrder;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<GroupRef> groups = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<GroupRef> options = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private Map<String, String> nameByLang = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private Map<String, String> descriptionByLang = new LinkedHashMap<>();

    protected PackageEnvironment() {
    }

    public PackageEnvironment(String environmentId, String name, String description, Integer displayOrder,
            List<GroupRef> groups, List<GroupRef> options, Map<String, String> nameByLang,
            Map<String, String> descriptionByLang) {
        this.environmentId = environmentId;
        this.name = name;
        this.description = description;
        this.displayOrder = displayOrder;
        this.groups = groups;
        this.options = options;
        this.nameByLang = nameByLang;
        this.descriptionByLang = descriptionByLang;
        this.digest = Digests.of(environmentId, name, description, displayOrder, groups, options, nameByLang,
                descriptionByLang);
    }

    @Override
    public String label() {
        return environmentId;
    }

    public String environmentId() { return environmentId; }
    public String digest() { return digest; }
    public String name() { return name; }
    public String description() { return description; }
    public Integer displayOrder() { return displayOrder; }
    public List<GroupRef> groups() { return groups; }
    public List<GroupRef> options() { return options; }
    public Map<String, String> nameByLang() { return nameByLang; }
    public Map<String, String> descriptionByLang() { return descriptionByLang; }
}
