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

/** A comps {@code <group>}: a named list of package names. Labelled with its id; identified by id and content digest. */
@Entity
@Table(name = "rpm_packagegroup")
@DiscriminatorValue(PackageGroup.TYPE)
public class PackageGroup extends Content {

    public static final String TYPE = "rpm.packagegroup";

    @NaturalKey
    @Column(name = "group_id", nullable = false, length = 255)
    private String groupId;

    @NaturalKey
    @Column(name = "digest", nullable = false, length = 64)
    private String digest;

    @Column(name = "name", length = 1024)
    private String name;

    @Column(name = "description", length = RpmText.LONG)
    private String description;

    private Boolean isDefault;
    private Boolean userVisible;
    private Boolean biarchOnly;
    private Integer displayOrder;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<GroupPackage> packages = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private Map<String, String> nameByLang = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private Map<String, String> descriptionByLang = new LinkedHashMap<>();

    protected PackageGroup() {
    }

    public PackageGroup(String groupId, String name, String description, Boolean isDefault, Boolean userVisible,
            Boolean biarchOnly, Integer displayOrder, List<GroupPackage> packages, Map<String, String> nameByLang,
            Map<String, String> descriptionByLang) {
        this.groupId = groupId;
        this.name = name;
        this.description = description;
        this.isDefault = isDefault;
        this.userVisible = userVisible;
        this.biarchOnly = biarchOnly;
        this.displayOrder = displayOrder;
        this.packages = packages;
        this.nameByLang = nameByLang;
        this.descriptionByLang = descriptionByLang;
        this.digest = Digests.of(groupId, name, description, isDefault, userVisible, biarchOnly, displayOrder, packages,
                nameByLang, descriptionByLang);
    }

    @Override
    public String label() {
        return groupId;
    }

    public String groupId() { return groupId; }
    public String digest() { return digest; }
    public String name() { return name; }
    public String description() { return description; }
    public Boolean isDefault() { return isDefault; }
    public Boolean userVisible() { return userVisible; }
    public Boolean biarchOnly() { return biarchOnly; }
    public Integer displayOrder() { return displayOrder; }
    public List<GroupPackage> packages() { return packages; }
    public Map<String, String> nameByLang() { return nameByLang; }
    public Map<String, String> descriptionByLang() { return descriptionByLang; }
}
