package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

/** A changelog entry of other.xml: {@code <changelog author date>text</changelog>}, the date in seconds since the epoch. */
public record RpmChangelog(String author, long date, String text) {

    public RpmChangelog {
        requireNonNull(author, "author");
        requireNonNull(text, "text");
    }
}
