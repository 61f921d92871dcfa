package io.airlock.core.archive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.airlock.testing.FuzzContract;

/** Fuzzes the manifest parser: any manifest.json is parsed or refused with an AirlockException. */
final class ManifestFuzzTest {

    @FuzzTest
    void manifest(byte[] input) throws Exception {
        FuzzContract.check(() -> Manifest.parse(input, "export fuzz.tar, manifest.json"));
    }
}
