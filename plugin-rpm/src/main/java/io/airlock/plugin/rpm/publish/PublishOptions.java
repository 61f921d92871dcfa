package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How {@link RpmPublisher} writes a yum repository. {@link #defaults()}: sha256, gzip, packages under
 * {@code Packages/<first letter>/}, on-demand packages refused, no .repo file, no signature.
 *
 * @param checksum      the checksum of the metadata files (their names, repomd.xml); package
 *                      checksums stay those the packages came with
 * @param compression   how primary, filelists, other, updateinfo and modules.yaml are compressed
 *                      (comps is written plain and, unless {@code NONE}, compressed too)
 * @param layout        where package files go
 * @param allowOnDemand publish packages whose files are not in the artifact store (metadata only)
 * @param repoFile      a {@code .repo} file to write in the output directory
 * @param signing       a command that signs repomd.xml, and the public key to publish beside it
 */
public record PublishOptions(Checksum checksum, Compression compression, Layout layout, boolean allowOnDemand,
        Optional<RepoFile> repoFile, Optional<Signing> signing) {

    public PublishOptions {
        requireNonNull(checksum, "checksum");
        requireNonNull(compression, "compression");
        requireNonNull(layout, "layout");
        requireNonNull(repoFile, "repoFile");
        requireNonNull(signing, "signing");
    }

    public static PublishOptions defaults() {
        return new PublishOptions(Checksum.SHA256, Compression.GZ, Layout.LETTER, false, Optional.empty(), Optional.empty());
    }

    public PublishOptions checksum(Checksum value) {
        return new PublishOptions(value, compression, layout, allowOnDemand, repoFile, signing);
    }

    public PublishOptions compression(Compression value) {
        return new PublishOptions(checksum, value, layout, allowOnDemand, repoFile, signing);
    }

    public PublishOptions layout(Layout value) {
        return new PublishOptions(checksum, compression, value, allowOnDemand, repoFile, signing);
    }

    public PublishOptions allowingOnDemand() {
        return new PublishOptions(checksum, compression, layout, true, repoFile, signing);
    }

    public PublishOptions repoFile(RepoFile value) {
        return new PublishOptions(checksum, compression, layout, allowOnDemand, Optional.of(value), signing);
    }

    public PublishOptions signing(Signing value) {
        return new PublishOptions(checksum, compression, layout, allowOnDemand, repoFile, Optional.of(value));
    }

    /** Checksum types of the metadata files, as yum names them. */
    public enum Checksum {
        SHA256("SHA-256"), SHA384("SHA-384"), SHA512("SHA-512");

        private final String algorithm;

        Checksum(String algorithm) {
            this.algorithm = algorithm;
        }

        /** The name in repomd.xml: {@code sha256}, … */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        String algorithm() {
            return algorithm;
        }
    }

    /** Compression of the metadata files, with the suffix createrepo_c gives them. */
    public enum Compression {
        GZ(".gz"), ZSTD(".zst"), NONE("");

        private final String suffix;

        Compression(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** {@code LETTER}: {@code Packages/<lower-case first letter>/<file>.rpm}; {@code FLAT}: {@code Packages/<file>.rpm}. */
    public enum Layout {
        LETTER, FLAT
    }

    /**
     * A {@code NAME.repo} file written at the top of the output directory: section {@code [NAME]},
     * {@code baseurl}, and {@code gpgcheck=0}; {@code repo_gpgcheck=1} and {@code gpgkey} pointing
     * at {@code repodata/repomd.xml.key} when the publication is signed.
     *
     * @param fileName {@code NAME.repo}; NAME of letters, digits and {@code - _ . :}
     */
    public record RepoFile(String fileName, String baseUrl) {

        public RepoFile {
            requireNonNull(fileName, "fileName");
            requireNonNull(baseUrl, "baseUrl");
            if (!fileName.matches("[A-Za-z0-9_.:-]+\\.repo") || fileName.startsWith(".")) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "repo file '" + fileName
                        + "' is not NAME.repo (a file name of letters, digits, '-', '_', '.' and ':')");
            }
            if (baseUrl.isBlank() || baseUrl.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "base URL must be one line of text");
            }
        }

        /** The repository id: the file name without {@code .repo}. */
        public String id() {
            return fileName.substring(0, fileName.length() - ".repo".length());
        }
    }

    /**
     * Signing of repomd.xml: {@code command} (program and arguments, run without a shell) reads
     * repomd.xml on its standard input and writes a detached ASCII-armoured signature on its
     * standard output, which becomes {@code repodata/repomd.xml.asc}; {@code publicKey} is copied to
     * {@code repodata/repomd.xml.key}. A command that exits with another status than 0 fails the publication.
     */
    public record Signing(List<String> command, Path publicKey) {

        public Signing {
            command = List.copyOf(command);
            requireNonNull(publicKey, "publicKey");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the signing command is empty");
            }
        }
    }
}
