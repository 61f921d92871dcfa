package io.airlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small yum repository built from scratch with the real tools, for checking publications against
 * the real clients: three noarch packages made with {@code rpmbuild} (an epoch, versioned and rich
 * requires, a weak dependency, conflicts and obsoletes, {@code %dir}, {@code %ghost},
 * {@code %config}, changelogs; {@code airlock-app} depends on {@code airlock-lib}), then
 * {@code createrepo_c} with a comps file, a revision ({@value #REVISION}) and tags (two distros, one
 * with a CPE id, two contents, a repo), and {@code modifyrepo_c} adding an advisory, a module (a
 * build, its defaults and an obsolete) and a {@code productid} file (gzip-compressed, as
 * modifyrepo_c writes it).
 */
public final class RpmFixture {

    /** repomd.xml's revision. */
    public static final String REVISION = "airlock-7";

    /** The bytes of the {@code productid} file (before modifyrepo_c compresses it). */
    public static final String PRODUCTID = """
            -----BEGIN CERTIFICATE-----
            QWlybG9jayBmaXh0dXJlIHByb2R1Y3QgY2VydGlmaWNhdGU=
            -----END CERTIFICATE-----
            """;

    /** The packages' names, in the order dnf lists them. */
    public static final List<String> PACKAGES = List.of("airlock-app", "airlock-extra", "airlock-lib");

    private static final Map<String, String> SPECS = Map.of("airlock-lib", """
            Name: airlock-lib
            Epoch: 2
            Version: 1.0
            Release: 1
            Summary: Library of the Airlock fixture
            License: MIT
            BuildArch: noarch
            AutoReqProv: no
            Provides: airlock-api = 3
            %description
            A library, with a config file, a ghost and a directory.
            %install
            mkdir -p %{buildroot}/usr/lib/airlock %{buildroot}/etc %{buildroot}/usr/bin %{buildroot}/var/log
            echo lib > %{buildroot}/usr/lib/airlock/lib.txt
            echo conf > %{buildroot}/etc/airlock.conf
            printf '#!/bin/true\\n' > %{buildroot}/usr/bin/airlock-lib
            chmod 755 %{buildroot}/usr/bin/airlock-lib
            %files
            %dir /usr/lib/airlock
            /usr/lib/airlock/lib.txt
            %config(noreplace) /etc/airlock.conf
            %ghost /var/log/airlock.log
            /usr/bin/airlock-lib
            %changelog
            * Mon Jan 02 2023 Ada Lovelace <ada@example.org> - 2:1.0-1
            - First release
            * Sun Jan 01 2023 Ada Lovelace <ada@example.org> - 2:0.9-1
            - Prerelease
            """, "airlock-app", """
            Name: airlock-app
            Version: 1.2
            Release: 3
            Summary: Application of the Airlock fixture
            License: MIT
            BuildArch: noarch
            AutoReqProv: no
            Requires: airlock-lib >= 2:1.0
            Requires: (airlock-api >= 2 with airlock-api < 4)
            Recommends: airlock-extra
            %description
            Depends on the library.
            %install
            mkdir -p %{buildroot}/usr/share/airlock
            echo app > %{buildroot}/usr/share/airlock/app.txt
            %files
            /usr/share/airlock/app.txt
            %changelog
            * Tue Jan 03 2023 Grace Hopper <grace@example.org> - 1.2-3
            - Needs the library
            """, "airlock-extra", """
            Name: airlock-extra
            Version: 0.9
            Release: 1
            Summary: Extra of the Airlock fixture
            License: MIT
            BuildArch: noarch
            AutoReqProv: no
            Requires: (airlock-app if airlock-lib)
            Requires: /usr/lib/airlock/lib.txt
            Conflicts: airlock-old
            Obsoletes: airlock-legacy < 1.0
            %description
            Extra.
            %install
            mkdir -p %{buildroot}/usr/share/airlock
            echo extra > %{buildroot}/usr/share/airlock/extra.txt
            %files
            /usr/share/airlock/extra.txt
            %changelog
            * Wed Jan 04 2023 Alan Turing <alan@example.org> - 0.9-1
            - Needs a file of the library that only filelists lists
            """);

    private static final String COMPS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <comps>
              <group>
                <id>airlock-tools</id>
                <name>Airlock tools</name>
                <name xml:lang="de">Airlock-Werkzeuge</name>
                <description>Tools of the fixture</description>
                <default>true</default>
                <uservisible>true</uservisible>
                <packagelist>
                  <packagereq type="mandatory">airlock-app</packagereq>
                  <packagereq type="optional">airlock-extra</packagereq>
                </packagelist>
              </group>
              <category>
                <id>airlock-category</id>
                <name>Airlock</name>
                <description>Everything Airlock</description>
                <display_order>10</display_order>
                <grouplist><groupid>airlock-tools</groupid></grouplist>
              </category>
              <environment>
                <id>airlock-environment</id>
                <name>Airlock environment</name>
                <description>An environment</description>
                <display_order>5</display_order>
                <grouplist><groupid>airlock-tools</groupid></grouplist>
                <optionlist><groupid default="true">airlock-tools</groupid></optionlist>
              </environment>
            </comps>
            """;

    private static final String UPDATEINFO = """
            <?xml version="1.0" encoding="UTF-8"?>
            <updates>
              <update from="security@example.org" status="final" type="security" version="2">
                <id>AIRLOCK-2023:0001</id>
                <title>Important: airlock-app security update</title>
                <issued date="2023-01-03 00:00:00"/>
                <updated date="2023-01-04 00:00:00"/>
                <rights>Copyright 2023</rights>
                <release>Airlock 1</release>
                <pushcount>1</pushcount>
                <severity>Important</severity>
                <summary>An update</summary>
                <description>Fixes a flaw &amp; more.</description>
                <solution>Update.</solution>
                <reboot_suggested>True</reboot_suggested>
                <references>
                  <reference href="https://example.org/CVE-2023-0001" id="CVE-2023-0001" type="cve" title="CVE-2023-0001"/>
                </references>
                <pkglist>
                  <collection short="airlock">
                    <name>Airlock</name>
                    <package name="airlock-app" version="1.2" release="3" epoch="0" arch="noarch" src="airlock-app-1.2-3.src.rpm">
                      <filename>airlock-app-1.2-3.noarch.rpm</filename>
                      <restart_suggested>True</restart_suggested>
                    </package>
                  </collection>
                </pkglist>
              </update>
            </updates>
            """;

    private static final String MODULES = """
            ---
            document: modulemd
            version: 2
            data:
              name: airlock
              stream: "1"
              version: 20230101000000
              context: c0ffee42
              arch: noarch
              summary: Airlock module
              description: >-
                The fixture's module.
              license:
                module:
                - MIT
              profiles:
                default:
                  rpms:
                  - airlock-extra
              artifacts:
                rpms:
                - airlock-extra-0:0.9-1.noarch
            ...
            ---
            document: modulemd-defaults
            version: 1
            data:
              module: airlock
              stream: "1"
              profiles:
                "1": [default]
            ...
            ---
            document: modulemd-obsoletes
            version: 1
            data:
              modified: 2023-01-05T00:00Z
              module: airlock
              stream: "0"
              message: Stream 0 is replaced by stream 1
              obsoleted_by:
                module: airlock
                stream: "1"
            ...
            """;

    private RpmFixture() {
    }

    /** Builds the packages and the repository at {@code directory/R}; returns that path. */
    public static Path build(Path directory) {
        Tools.require("rpmbuild", "createrepo_c", "modifyrepo_c");
        try {
            Path repo = directory.resolve("R");
            Path specs = Files.createDirectories(directory.resolve("specs"));
            for (String name : PACKAGES) {
                Path spec = specs.resolve(name + ".spec");
                Files.writeString(spec, SPECS.get(name));
                rpmbuild(directory, spec, repo.resolve("Packages"));
            }
            Path comps = Files.writeString(directory.resolve("comps.xml"), COMPS);
            Tools.ok(directory, Map.of(), List.of("createrepo_c", "--quiet", "--no-database", "--groupfile", comps.toString(),
                    "--revision", REVISION, "--distro", "cpe:/o:airlock:airlock:1,Airlock 1", "--distro", "Airlock",
                    "--content", "binary-noarch", "--content", "fixture", "--repo", "airlock-1", repo.toString()));
            Path updateinfo = Files.writeString(directory.resolve("updateinfo.xml"), UPDATEINFO);
            Path modules = Files.writeString(directory.resolve("modules.yaml"), MODULES);
            Tools.ok(directory, Map.of(), List.of("modifyrepo_c", updateinfo.toString(),
                    repo.resolve("repodata").toString()));
            Tools.ok(directory, Map.of(), List.of("modifyrepo_c", "--mdtype=modules", modules.toString(),
                    repo.resolve("repodata").toString()));
            Path productid = Files.writeString(directory.resolve("productid"), PRODUCTID);
            Tools.ok(directory, Map.of(), List.of("modifyrepo_c", "--mdtype=productid", productid.toString(),
                    repo.resolve("repodata").toString()));
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds one spec into {@code packages} as {@code NAME-VERSION-RELEASE.ARCH.rpm}. */
    public static Path rpmbuild(Path directory, Path spec, Path packages) {
        Tools.ok(directory, Map.of(), List.of("rpmbuild", "--quiet", "--define", "_topdir " + directory.resolve("rpmbuild"),
                "--define", "_rpmdir " + packages, "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
                "-bb", spec.toString()));
        return packages;
    }
}
