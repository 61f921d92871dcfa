package io.airlock.plugin.rpm.solve;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.plugin.rpm.solve.DependencySolver.Options;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.plugin.rpm.solve.DependencySolver.Solution;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class DeterminismTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42})
    void shufflingEveryInputListGivesTheSameSolution(long seed) {
        List<PackageInfo> first = RandomRepository.generate(seed, "a", 600, 150, 20, 8, true);
        List<PackageInfo> second = RandomRepository.generate(seed + 100, "b", 300, 100, 20, 8, true);
        List<PackageInfo> destination = RandomRepository.generate(seed + 200, "d", 100, 100, 0, 0, false);
        Random random = new Random(seed);
        List<String> selectedFirst = IntStream.range(0, 15).mapToObj(i -> "a" + random.nextInt(600)).distinct().toList();
        List<String> selectedSecond = IntStream.range(0, 5).mapToObj(i -> "b" + random.nextInt(300)).distinct().toList();
        Options options = new Options(true, true);

        Solution expected = solve(first, second, destination, selectedFirst, selectedSecond, options);
        Solution actual = solve(RandomRepository.shuffled(first, random), RandomRepository.shuffled(second, random),
                RandomRepository.shuffled(destination, random), RandomRepository.shuffle(selectedFirst, random),
                RandomRepository.shuffle(selectedSecond, random), options);

        assertThat(expected.added()).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    private static Solution solve(List<PackageInfo> first, List<PackageInfo> second, List<PackageInfo> destination,
            List<String> selectedFirst, List<String> selectedSecond, Options options) {
        return DependencySolver.builder()
                .pair(0, first, destination)
                .pair(1, second, destination)
                .build()
                .solve(Map.of(0, selectedFirst, 1, selectedSecond), options);
    }
}
