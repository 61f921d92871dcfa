package io.airlock.generic;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** An entity that is not content, for references the generic resource must refuse. */
@Entity
@Table(name = "note")
class Note {

    @Id
    UUID id = UUID.randomUUID();

    String body;
}
