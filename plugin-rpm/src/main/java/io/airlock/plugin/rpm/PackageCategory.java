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

/** A comps {@code <category>}: a named list of groups. Labelled with its id; identified by id and content digest. */
@Entity
@Table(name = "rpm_packagecategory")
@DiscriminatorValue(PackageCategory.TYPE)
public class PackageCategory extends Content {

    public static final String TYPE = "rpm.packagecategory";

    @NaturalKey
    @Column(name = "category_id", nullable = false, length = 255)
    private String categoryId;

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
    private Map<String, String> nameByLang = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private Map<String, String> descriptionByLang = new LinkedHashMap<>();

    protected PackageCategory() {
    }

    public PackageCategory(String categoryId, String name, String description, Integer displayOrder, List<GroupRef> groups,
            Map<String, String> nameByLang, Map<String, String> descriptionByLang) {
        this.categoryId = categoryId;
        this.name = name;
        this.description = description;
        this.displayOrder = displayOrder;
        this.groups = groups;
        this.nameByLang = nameByLang;
        this.descriptionByLang = descriptionByLang;
        this.digest = Digests.of(categoryId, name, description, displayOrder, groups, nameByLang, descriptionByLang);
    }

    @Override
    public String label() {
        return categoryId;
    }

    public String categoryId() { return categoryId; }
    public String digest() { return digest; }
    public String name() { return name; }
    public String description() { return description; }
    public Integer displayOrder() { return displayOrder; }
    public List<GroupRef> groups() { return groups; }
    public Map<String, String> nameByLang() { return nameByLang; }
    public Map<String, String> descriptionByLang() { return descriptionByLang; }
}
