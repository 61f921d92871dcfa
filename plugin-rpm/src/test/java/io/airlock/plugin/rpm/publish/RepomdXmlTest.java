package io.airlock.plugin.rpm.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class RepomdXmlTest {

    @Test
    void tagsComeAfterTheRevisionAndAPlainFileHasNoOpenChecksum() throws IOException {
        StringWriter out = new StringWriter();
        RepomdXml.Head head = new RepomdXml.Head("42", List.of("binary-x86_64"), List.of("el9 & more"),
                List.of(new RepomdXml.Distro("cpe:/o:example:el:9", "Example 9")));

        RepomdXml.write(out, head, List.of(
                new RepodataFile("primary", "repodata/ab-primary.xml.gz", "sha256", "ab", 10, Optional.of("cd"), Optional.of(30L), 7),
                new RepodataFile("group", "repodata/ef-comps.xml", "sha256", "ef", 5, Optional.empty(), Optional.empty(), 7)));

        assertThat(out.toString()).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
                  <revision>42</revision>
                  <tags>
                    <content>binary-x86_64</content>
                    <repo>el9 &amp; more</repo>
                    <distro cpeid="cpe:/o:example:el:9">Example 9</distro>
                  </tags>
                  <data type="primary">
                    <checksum type="sha256">ab</checksum>
                    <open-checksum type="sha256">cd</open-checksum>
                    <location href="repodata/ab-primary.xml.gz"/>
                    <timestamp>7</timestamp>
                    <size>10</size>
                    <open-size>30</open-size>
                  </data>
                  <data type="group">
                    <checksum type="sha256">ef</checksum>
                    <location href="repodata/ef-comps.xml"/>
                    <timestamp>7</timestamp>
                    <size>5</size>
                  </data>
                </repomd>
                """);
    }

    @Test
    void noTagsWritesNoTagsElement() throws IOException {
        StringWriter out = new StringWriter();

        RepomdXml.write(out, RepomdXml.Head.of("1"), List.of());

        assertThat(out.toString()).doesNotContain("<tags>").contains("  <revision>1</revision>\n</repomd>\n");
    }
}
