package io.airlock.generic;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Temporal;
import jakarta.persistence.TemporalType;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

/** Valid Hibernate entities that the generic resource must refuse, each for one reason. */
final class BadUnits {

    private BadUnits() {
    }

    static final List<Class<?>> ALL = List.of(Note.class, NoKey.class, WithOneToMany.class, WithForeignReference.class,
            WithCalendar.class, WithEmbeddedKey.class, WithDate.class);

    @Entity
    @Table(name = "bad_no_key")
    @DiscriminatorValue("test.nokey")
    static class NoKey extends Content {
        String name;

        @Override
        public String label() {
            return name;
        }
    }

    @Entity
    @Table(name = "bad_one_to_many")
    @DiscriminatorValue("test.onetomany")
    static class WithOneToMany extends Content {
        @NaturalKey
        String name;

        @OneToMany
        @JoinColumn(name = "owner_id")
        List<Note> children = new ArrayList<>();

        @Override
        public String label() {
            return name;
        }
    }

    @Entity
    @Table(name = "bad_foreign_reference")
    @DiscriminatorValue("test.foreignref")
    static class WithForeignReference extends Content {
        @NaturalKey
        String name;

        @ManyToOne
        Note note;

        @Override
        public String label() {
            return name;
        }
    }

    @Entity
    @Table(name = "bad_calendar")
    @DiscriminatorValue("test.calendar")
    static class WithCalendar extends Content {
        @NaturalKey
        String name;

        @Temporal(TemporalType.TIMESTAMP)
        Calendar due;

        @Override
        public String label() {
            return name;
        }
    }

    @Entity
    @Table(name = "bad_date")
    @DiscriminatorValue("test.date")
    static class WithDate extends Content {
        @NaturalKey
        String name;

        java.util.Date due; // Hibernate's metamodel says java.sql.Timestamp

        @Override
        public String label() {
            return name;
        }
    }

    @Entity
    @Table(name = "bad_embedded_key")
    @DiscriminatorValue("test.embeddedkey")
    static class WithEmbeddedKey extends Content {
        @NaturalKey
        @Embedded
        Checksum checksum;

        @Override
        public String label() {
            return String.valueOf(checksum);
        }
    }
}
