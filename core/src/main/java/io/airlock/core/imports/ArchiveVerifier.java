package io.airlock.core.imports;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.archive.ArchiveReader;
import io.airlock.core.archive.ArchiveScanner;
import io.airlock.core.archive.Manifest;
import io.airlock.core.archive.Toc;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.store.FileTrees;
import io.airlock.core.store.Sha256;
import io.airlock.core.trust.TrustedKeys;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.FileDigest;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;

/**
 * Runs every check of an export that needs no database: the TOC and each chunk's size and
 * sha256, the tar entries, the manifest and its counts, every artifact's sha256, every JSON line,
 * the membership digests (for a membership delta: its entries' order, sizes, counts and that no
 * key is both added and removed; the result needs the destination), that the export's plugins are installed in a compatible version, that
 * every row reads as its type, and that every link names a unit the export carries, once per path,
 * with a file matching the unit's own digest (for artifacts the export carries). With trusted keys,
 * first the signature of the TOC: an export not signed by one of them is refused before anything
 * else of it is read.
 */
public final class ArchiveVerifier {

    private final PluginRegistry plugins;
    private final TrustedKeys trustedKeys;

    /**
     * A verifier that requires no signature.
     *
     * @param plugins an installation's registry ({@code Airlock.plugins()}): rows are read with its bound resources
     */
    public ArchiveVerifier(PluginRegistry plugins) {
        this(plugins, TrustedKeys.none());
    }

    /** A verifier that, with any trusted key, requires the export to be signed by one of them. */
    public ArchiveVerifier(PluginRegistry plugins, TrustedKeys trustedKeys) {
        this.plugins = requireNonNull(plugins, "plugins");
        this.trustedKeys = requireNonNull(trustedKeys, "trustedKeys");
    }

    private record CarriedUnit(String label, Optional<FileDigest> own) {
    }

    /** What a verified export holds, and the fingerprint of the trusted key that signed it (when keys are trusted). */
    public record Verified(Toc toc, Manifest manifest, Optional<String> signedBy) {
    }

    /** Reads {@code bytes} to their end; {@code CHECKSUM_MISMATCH} at {@code where} unless their sha256 is {@code sha256}. */
    static void checkSha256(InputStream bytes, String sha256, String where) throws IOException {
        DigestInputStream digesting = new DigestInputStream(bytes, Sha256.newDigest());
        digesting.transferTo(OutputStream.nullOutputStream());
        String actual = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        if (!actual.equals(sha256)) {
            throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, where + ": artifact bytes have sha256 " + actual
                    + " but " + sha256 + " was expected");
        }
    }

    /**
     * Verifies the export at {@code path} (a {@code -toc.json} or a {@code .tar}). Interrupting the
     * thread cancels it within about a second, with {@link ErrorCode#CANCELLED}.
     */
    public Verified verify(Path path, ProgressListener progress) {
        return Cancellation.guard("verify", () -> run(path, progress));
    }

    private Verified run(Path path, ProgressListener progress) {
        Optional<TrustedKeys.SignedToc> signed = checkSignature(trustedKeys, path);
        Path scratch = null;
        try (ArchiveReader reader = open(path, signed)) {
            scratch = Files.createTempDirectory("airlock-verify-");
            String source = "export " + reader.source();
            // One small record per carried unit, link and artifact: links are checked against the
            // archive's own units (docs/archive-format.md, "Links") without a database.
            Map<String, CarriedUnit> carried = new HashMap<>();
            Set<String> links = new HashSet<>();
            Set<String> artifacts = new HashSet<>();
            Map<String, List<LinkRules.Check>> otherDigests = new TreeMap<>();
            Manifest manifest = new ArchiveScanner(reader, scratch).scan(new ArchiveScanner.Sink() {
                private long bytes;
                private long total;

                @Override
                public void manifest(Manifest manifest) {
                    PluginCompatibility.check(manifest, plugins, source);
                    total = manifest.artifactBytes();
                }

                @Override
                public void artifact(String sha256, long size, InputStream in) throws IOException {
                    artifacts.add(sha256);
                    checkSha256(in, sha256, source + ", entry '" + io.airlock.core.archive.ArchiveNames.artifactEntry(sha256) + "'");
                    bytes += size;
                    progress.progress("artifacts", bytes, total);
                }

                @Override
                public void row(String type, ObjectNode row, String where) {
                    // References resolve to nothing here: they need a database, and neither the
                    // natural key nor the file digest may depend on them.
                    LinkRules.ReadRow read = LinkRules.readRow(plugins, type, row, where, new ContentResource.RowReader() {
                        @Override
                        public <C extends Content> C reference(Class<C> contentClass, ContentKey key) {
                            return null;
                        }
                    });
                    Content unit = read.unit();
                    Optional<FileDigest> own = read.own();
                    carried.putIfAbsent(unit.keyDigest(), new CarriedUnit(LinkRules.label(unit), own));
                }

                @Override
                public void link(String unitDigest, String path, Optional<String> sha256, String where) {
                    if (!links.add(unitDigest + "\n" + path)) {
                        throw LinkRules.duplicate(where, unitDigest, path);
                    }
                    CarriedUnit unit = carried.get(unitDigest);
                    if (unit == null) {
                        throw LinkRules.notCarried(where, unitDigest);
                    }
                    if (sha256.isEmpty() || unit.own().isEmpty()) {
                        return;
                    }
                    FileDigest own = unit.own().get();
                    if (own.isSha256()) {
                        if (!own.hex().equals(sha256.get())) {
                            throw LinkRules.mismatch(where, path, unit.label(), FileDigest.SHA_256, sha256.get(), own.hex());
                        }
                    } else if (artifacts.contains(sha256.get())) {
                        // An artifact the archive does not carry is in the importing installation; import checks it there.
                        otherDigests.computeIfAbsent(sha256.get(), k -> new ArrayList<>())
                                .add(new LinkRules.Check(where, path, unit.label(), own));
                    }
                }

                @Override
                public void members(int repository, List<String> keyDigests, String where) {
                    // order and digest checked by the scanner
                }

                @Override
                public void membersAdded(int repository, List<String> keyDigests, String where) {
                    // order, counts and disjointness checked by the scanner; the result only an import can check
                }

                @Override
                public void membersRemoved(int repository, List<String> keyDigests, String where) {
                }

                @Override
                public void endOfMembership(int repository) {
                }
            });
            if (!otherDigests.isEmpty()) {
                LinkRules.checkCarried(path, otherDigests);
            }
            return new Verified(reader.toc(), manifest, signed.map(TrustedKeys.SignedToc::signedBy));
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + path + ": " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                Path spooled = scratch;
                Cancellation.runUninterrupted(() -> FileTrees.deleteTree(spooled));
            }
        }
    }

    /** With trusted keys: the export's TOC bytes, checked against its signature. Reads nothing else. */
    static Optional<TrustedKeys.SignedToc> checkSignature(TrustedKeys trustedKeys, Path path) {
        return trustedKeys.isEmpty() ? Optional.empty() : Optional.of(trustedKeys.verifiedToc(path));
    }

    /** Opens the export; a signed one from the TOC bytes whose signature was checked, not from its file again. */
    static ArchiveReader open(Path path, Optional<TrustedKeys.SignedToc> signed) {
        return signed.isPresent() ? ArchiveReader.open(path, signed.get().bytes()) : ArchiveReader.open(path);
    }
}
