package io.airlock.plugin.rpm.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.spi.AirlockException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PackageScanTest {

    private static final RpmPackage OWNER = new RpmPackage("bash", "0", "5.1", "8.el9", "x86_64", "abc", "sha256",
            "Packages/b/bash.rpm");

    @Test
    void dependenciesAreReadInAnyKeyOrderAsPostgresqlsJsonbReturnsThem() {
        List<RpmDependency> entries = new ArrayList<>();

        PackageScan.dependencies("[{\"pre\": true, \"name\": \"glibc\", \"flags\": \"GE\", \"epoch\": \"0\", \"version\": \"2.34\","
                + " \"release\": \"1\"}, {\"name\": \"/bin/sh\"}]", entries, OWNER);

        assertThat(entries).containsExactly(new RpmDependency("glibc", "GE", "0", "2.34", "1", true), RpmDependency.of("/bin/sh"));
    }

    @Test
    void filesKeepTheirTypeAndAPlainFileHasNone() {
        List<RpmFile> files = new ArrayList<>();

        PackageScan.files("[{\"type\":\"dir\",\"path\":\"/etc/skel\"},{\"path\":\"/usr/bin/bash\"}]", files, OWNER);

        assertThat(files).containsExactly(new RpmFile("/etc/skel", "dir"), new RpmFile("/usr/bin/bash", null));
    }

    @Test
    void anUnknownFieldIsRefusedNamingThePackage() {
        assertThatThrownBy(() -> PackageScan.dependencies("[{\"name\":\"x\",\"colour\":\"red\"}]", new ArrayList<>(), OWNER))
                .isInstanceOf(AirlockException.class)
                .hasMessage("package bash-5.1-8.el9.x86_64: its stored dependencies or files are unreadable:"
                        + " a dependency has an unknown field 'colour'");
    }
}
