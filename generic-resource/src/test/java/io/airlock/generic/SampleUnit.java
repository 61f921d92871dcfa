package io.airlock.generic;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One attribute of every kind the generic resource supports. Fields are package-private for assertions. */
@Entity
@Table(name = "sample_unit")
@DiscriminatorValue("test.sample")
class SampleUnit extends Content {

    @NaturalKey
    @Column(name = "name", nullable = false)
    String name;

    @NaturalKey
    @Column(name = "unit_version", nullable = false)
    int version;

    String text;
    @Column(name = "item_count")
    long count;
    Integer boxedInt;
    short small;
    Byte tiny;
    double ratio;
    Float weight;
    char letter = '-'; // not NUL, which PostgreSQL text columns cannot hold
    @Column(precision = 30, scale = 6)
    BigDecimal amount;
    @Column(precision = 40, scale = 0)
    BigInteger big;
    boolean flag;
    Boolean boxedFlag;
    @Enumerated(EnumType.STRING)
    Color color;
    @Enumerated(EnumType.ORDINAL)
    Color shade;
    Instant instant;
    LocalDate released;
    LocalDateTime moment;
    LocalTime clock;
    OffsetDateTime offsetMoment;
    Duration duration;
    UUID uuid;
    byte[] data;

    @Embedded
    Checksum checksum;

    @Embedded
    Origin origin;

    @ElementCollection
    @CollectionTable(name = "sample_tag")
    @OrderColumn(name = "position")
    List<String> tags = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "sample_number")
    Set<Integer> numbers = new HashSet<>();

    @ElementCollection
    @CollectionTable(name = "sample_checksum")
    @OrderColumn(name = "position")
    List<Checksum> checksums = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "sample_attribute")
    Map<String, String> attributes = new HashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> metadata;

    @JdbcTypeCode(SqlTypes.JSON)
    List<String> jsonTags;

    @JdbcTypeCode(SqlTypes.JSON)
    Dimensions dimensions;

    protected SampleUnit() {
    }

    SampleUnit(String name, int version) {
        this.name = name;
        this.version = version;
    }

    @Override
    public String label() {
        return name + "-" + version;
    }
}
