package io.airlock.plugin.rpm.repodata;

import io.airlock.core.store.LocalDirectory;
import io.airlock.core.store.RelativePaths;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code repodata/repomd.xml}: the index of a yum repository's metadata files, with its revision
 * (null when absent) and tags.
 */
public record Repomd(Path root, String revision, Tags tags, List<Entry> entries) {

    public static final String PATH = "repodata/repomd.xml";

    public Repomd {
        entries = List.copyOf(entries);
    }

    /** {@code <tags>}: {@code content}, {@code repo} and {@code distro} values in order (a distro with its cpeid or null). */
    public record Tags(List<String> content, List<String> repo, List<Distro> distro) {
        public Tags {
            content = List.copyOf(content);
            repo = List.copyOf(repo);
            distro = List.copyOf(distro);
        }

        public boolean isEmpty() {
            return content.isEmpty() && repo.isEmpty() && distro.isEmpty();
        }
    }

    public record Distro(String cpeid, String name) {
        public Distro {
            java.util.Objects.requireNonNull(name, "name");
        }
    }

    /** One {@code <data type="…">} entry: where the file is and its checksum. */
    public record Entry(String type, String location, String checksumType, String checksum) {
    }

    /** Reads {@value #PATH} under a repository's root directory, refusing symbolic links. */
    public static Repomd read(Path root) {
        return read(LocalDirectory.open(root, LocalDirectory.Options.DEFAULT));
    }

    /** Reads {@value #PATH} in {@code directory}: a regular file, at most {@link Limits#REPOMD_BYTES} bytes. */
    public static Repomd read(LocalDirectory directory) {
        Path root = directory.root();
        Path file = directory.file(PATH, PATH).orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND,
                root + " is not a yum repository: " + PATH + " is missing"));
        String name = PATH;
        try (InputStream in = Limits.bounded(directory.open(file), name, Limits.REPOMD_BYTES); Xml xml = new Xml(in, name)) {
            String revision = null;
            List<String> content = new ArrayList<>();
            List<String> repo = new ArrayList<>();
            List<Distro> distro = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            if (!xml.next() || !xml.name().equals("repomd")) {
                throw xml.error("the root element is not <repomd>");
            }
            while (xml.nextChild()) {
                switch (xml.name()) {
                    case "revision" -> revision = xml.text().strip();
                    case "data" -> entries.add(entry(xml));
                    case "tags" -> {
                        while (xml.nextChild()) {
                            switch (xml.name()) {
                                case "content" -> content.add(xml.text().strip());
                                case "repo" -> repo.add(xml.text().strip());
                                case "distro" -> {
                                    String cpeid = xml.attribute("cpeid");
                                    distro.add(new Distro(cpeid, xml.text().strip()));
                                }
                                default -> xml.skip();
                            }
                        }
                    }
                    default -> xml.skip();
                }
            }
            return new Repomd(root, revision, new Tags(content, repo, distro), entries);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Entry entry(Xml xml) {
        String type = xml.requiredAttribute("type");
        String where = xml.position();
        String location = null;
        String checksumType = null;
        String checksum = null;
        while (xml.nextChild()) {
            switch (xml.name()) {
                case "location" -> {
                    location = xml.requiredAttribute("href");
                    xml.skip();
                }
                case "checksum" -> {
                    checksumType = xml.requiredAttribute("type");
                    checksum = xml.text().strip();
                }
                default -> xml.skip();
            }
        }
        if (location == null || checksum == null) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": <data type=\"" + Messages.cut(type) + "\"> lacks a location or checksum");
        }
        RelativePaths.check(location, PATH + " <data type=\"" + Messages.cut(type) + "\">");
        return new Entry(type, location, checksumType, checksum);
    }

    /** The entry of {@code type}, if listed. */
    public Optional<Entry> entry(String type) {
        return entries.stream().filter(e -> e.type().equals(type)).findFirst();
    }
}
