package io.airlock.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Byte sizes as people write them: {@code 1048576}, {@code 512K}, {@code 64M}, {@code 1G} (powers of 1024). */
final class Sizes implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        if (value.endsWith("B")) {
            value = value.substring(0, value.length() - 1);
        }
        long unit = 1;
        if (!value.isEmpty()) {
            switch (value.charAt(value.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
        if (!digits.matches("\\d{1,15}")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a size such as 1048576, 512K, 64M or 1G");
        }
        long size = Long.parseLong(digits) * unit;
        if (size <= 0) {
            throw new CommandLine.TypeConversionException("a size must be positive, not '" + text + "'");
        }
        return size;
    }

    /** Bytes in a short readable form. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int i = -1;
        while (value >= 1024 && i < units.length - 1) {
            value /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[i]);
    }
}
