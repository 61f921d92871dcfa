package io.airlock.plugin.rpm.repodata;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.airlock.testing.FuzzContract;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the readers of a yum repository's metadata, each with its own corpus: any file is read or
 * refused with an AirlockException naming the file. {@code filelists.xml} has no reader: sync does
 * not read it.
 */
final class RepodataFuzzTest {

    @TempDir
    static Path root;

    @FuzzTest
    void repomd(byte[] input) throws Exception {
        Path file = root.resolve(Repomd.PATH);
        Files.createDirectories(file.getParent());
        Files.write(file, input);
        FuzzContract.check(() -> Repomd.read(root));
    }

    @FuzzTest
    void primary(byte[] input) throws Exception {
        FuzzContract.check(() -> PrimaryReader.read(new ByteArrayInputStream(input), "primary.xml", unit -> { }));
    }

    @FuzzTest
    void updateinfo(byte[] input) throws Exception {
        FuzzContract.check(() -> UpdateinfoReader.read(new ByteArrayInputStream(input), "updateinfo.xml", unit -> { }));
    }

    @FuzzTest
    void comps(byte[] input) throws Exception {
        FuzzContract.check(() -> CompsReader.read(new ByteArrayInputStream(input), "comps.xml", unit -> { }));
    }

    @FuzzTest
    void modules(byte[] input) throws Exception {
        FuzzContract.check(() -> ModulesReader.read(new ByteArrayInputStream(input), "modules.yaml", unit -> { }));
    }
}
