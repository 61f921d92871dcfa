package io.airlock.plugin.rpm;

/**
 * Column lengths for long texts. Large bounded VARCHARs, not CLOBs: on H2 a CLOB longer than a few
 * hundred bytes is stored apart from its row, which made ingest and import several times slower,
 * and no query needs more than these lengths (a longer value is refused by the database, and the
 * whole ingest or import with it).
 */
final class RpmText {

    /** Descriptions, summaries, advisory texts: 1,000,000 characters. */
    static final int LONG = 1_000_000;

    /** Original YAML documents of module builds and defaults: 10,000,000 characters (PostgreSQL's VARCHAR allows 10,485,760). */
    static final int DOCUMENT = 10_000_000;

    private RpmText() {
    }
}
