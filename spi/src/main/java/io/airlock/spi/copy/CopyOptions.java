package io.airlock.spi.copy;

/**
 * Switches of a copy request.
 *
 * @param dependencySolving bring what the selected units depend on (children come along regardless)
 * @param dependencyUpgrade when a destination holds an older provider of a needed capability, bring
 *     the newest one from the source instead of accepting the installed one
 * @param includeRecommends also follow weak forward dependencies (RPM's Recommends)
 */
public record CopyOptions(boolean dependencySolving, boolean dependencyUpgrade, boolean includeRecommends) {

    public static final CopyOptions DEFAULT = new CopyOptions(true, false, false);
}
