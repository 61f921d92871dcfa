package io.airlock.plugin.rpm.solve;

import io.airlock.plugin.rpm.RpmDependency;

/** Dependencies written the way rpm prints them. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * {@code name}, {@code name OP [E:]V[-R]} (the epoch stays null unless written), or a rich
     * dependency in parentheses.
     */
    static RpmDependency dep(String text) {
        if (text.startsWith("(")) {
            return RpmDependency.of(text);
        }
        String[] parts = text.trim().split("\\s+");
        if (parts.length == 1) {
            return RpmDependency.of(parts[0]);
        }
        String flags = switch (parts[1]) {
            case "=" -> "EQ";
            case "<" -> "LT";
            case "<=" -> "LE";
            case ">" -> "GT";
            case ">=" -> "GE";
            default -> throw new IllegalArgumentException(parts[1]);
        };
        String evr = parts[2];
        int colon = evr.indexOf(':');
        String epoch = colon < 0 ? null : evr.substring(0, colon);
        String rest = evr.substring(colon + 1);
        int hyphen = rest.lastIndexOf('-');
        String version = hyphen < 0 ? rest : rest.substring(0, hyphen);
        String release = hyphen < 0 ? null : rest.substring(hyphen + 1);
        return new RpmDependency(parts[0], flags, epoch, version, release, false);
    }
}
