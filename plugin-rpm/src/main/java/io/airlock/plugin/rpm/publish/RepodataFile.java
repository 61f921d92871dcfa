package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One {@code <data type="…">} entry of repomd.xml: the file at {@code href} (relative to the
 * repository root), its checksum and size, and for a compressed file the checksum and size of
 * what it decompresses to.
 */
public record RepodataFile(String type, String href, String checksumType, String checksum, long size,
        Optional<String> openChecksum, Optional<Long> openSize, long timestamp) {

    public RepodataFile {
        requireNonNull(type, "type");
        requireNonNull(href, "href");
        requireNonNull(checksumType, "checksumType");
        requireNonNull(checksum, "checksum");
        requireNonNull(openChecksum, "openChecksum");
        requireNonNull(openSize, "openSize");
    }
}
