package io.airlock.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Live-object histograms of this JVM taken from a daemon thread (the {@code GC.class_histogram}
 * diagnostic command, which collects first), for benchmarks that measure memory: the heap after a
 * young collection also counts garbage not yet collected, the histogram's total does not. Written
 * to {@code PREFIX-N.txt}: the 40 largest classes and the total.
 */
final class Histograms {

    private Histograms() {
    }

    static void every(long millis, Path prefix) {
        Thread thread = new Thread(() -> {
            try {
                var server = ManagementFactory.getPlatformMBeanServer();
                var command = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
                for (int n = 0; ; n++) {
                    Thread.sleep(millis);
                    String histogram = (String) server.invoke(command, "gcClassHistogram", new Object[] {null},
                            new String[] {String[].class.getName()});
                    Files.writeString(Path.of(prefix + "-" + n + ".txt"), histogram.lines().limit(42).collect(Collectors.joining("\n"))
                            + "\n" + histogram.lines().reduce((a, b) -> b).orElse("") + "\n");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.err.println("histograms stopped: " + e);
            }
        }, "histograms");
        thread.setDaemon(true);
        thread.start();
    }
}
