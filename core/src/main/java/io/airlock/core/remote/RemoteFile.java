package io.airlock.core.remote;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Where an on-demand file can be downloaded from, and what it must be: its URL, its checksum (a
 * {@link java.security.MessageDigest} algorithm name such as {@code SHA-256}, and lower-case hex)
 * and its size when known. Recorded by a sync with the on-demand policy (table {@code remote_artifact}).
 */
public record RemoteFile(URI url, String algorithm, String checksum, OptionalLong size) {

    /** Longest URL recorded. */
    public static final int MAX_URL_LENGTH = 4096;

    public RemoteFile {
        requireNonNull(url, "url");
        requireNonNull(algorithm, "algorithm");
        requireNonNull(checksum, "checksum");
        requireNonNull(size, "size");
        Downloader.check(url);
        if (url.toString().length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("a URL longer than " + MAX_URL_LENGTH + " characters: " + url.toString().substring(0, 80) + "…");
        }
        Downloader.digest(algorithm);
        if (!checksum.matches("[0-9a-fA-F]{8,128}")) {
            throw new IllegalArgumentException("not a hex checksum: " + checksum);
        }
        checksum = checksum.toLowerCase(Locale.ROOT);
    }

    /** What a download of this file must be, at most {@code maxBytes} when the size is unknown. */
    public Downloader.Expected expected(long maxBytes) {
        return Downloader.Expected.checksum(algorithm, checksum, size, maxBytes);
    }
}
