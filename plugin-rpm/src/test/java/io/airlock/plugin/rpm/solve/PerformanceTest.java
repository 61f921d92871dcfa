package io.airlock.plugin.rpm.solve;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.plugin.rpm.solve.DependencySolver.Options;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.plugin.rpm.solve.DependencySolver.Solution;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class PerformanceTest {

    /**
     * 18,800 packages of 40 requirements each (a fifth of them rich), a hundred selected. Measured
     * in thread CPU time, so that other jobs on the machine do not fail the test.
     */
    @Test
    void aHundredPackagesOutOfEighteenThousandSolveWellUnderASecond() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<PackageInfo> source = RandomRepository.generate(7, "p", 18_800, 1_500, 2, 40, true);
        long start = threads.getCurrentThreadCpuTime();
        DependencySolver solver = DependencySolver.builder().pair(0, source, List.of()).build();
        long built = threads.getCurrentThreadCpuTime();
        Random random = new Random(7);
        List<String> selected = IntStream.range(0, 100).mapToObj(i -> "p" + random.nextInt(18_800)).distinct().toList();

        Solution solution = solver.solve(Map.of(0, selected), new Options(true, true));
        long solved = threads.getCurrentThreadCpuTime();

        System.out.printf("PerformanceTest: index %d ms, closure %d ms (CPU): %d added, %d unresolved%n",
                (built - start) / 1_000_000, (solved - built) / 1_000_000, solution.added().size(),
                solution.unresolved().size());
        assertThat(solution.added()).hasSizeGreaterThan(1_000);
        assertThat(solved - built).isLessThan(1_000_000_000L);
    }
}
