package io.airlock.plugin.rpm.solve;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.StringPool;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CompactDependenciesTest {

    @Test
    void aPackedListReadsBackEntryForEntryWithSharedNames() {
        List<RpmDependency> original = List.of(RpmDependency.of("libc.so.6()(64bit)"),
                new RpmDependency("bash", "GE", "0", "5.1", null, false),
                new RpmDependency("/bin/sh", null, null, null, null, true),
                new RpmDependency("(foo if bar)", null, null, null, null, false),
                new RpmDependency("glibc", "EQ", "1", "2.34", "60.el9", false));
        CompactDependencies packer = new CompactDependencies(new StringPool());

        List<RpmDependency> packed = packer.pack(original);
        List<RpmDependency> again = packer.pack(List.copyOf(original.stream()
                .map(d -> new RpmDependency(new String(d.name()), d.flags(), d.epoch(), d.version(), d.release(), d.pre())).toList()));

        assertThat(packed).isEqualTo(original).hasSize(5);
        assertThat(packed.get(1).toString()).isEqualTo("bash >= 5.1");
        assertThat(again.get(0).name()).isSameAs(packed.get(0).name());
        assertThat(packer.pack(List.of())).isEmpty();
    }
}
