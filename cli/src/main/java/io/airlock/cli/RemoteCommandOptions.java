package io.airlock.cli;

import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.RemoteOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of commands that download ({@code rpm sync}, {@code file sync}, {@code download},
 * {@code export --download}): connections, TLS files, proxy, credentials file. Credentials are never
 * taken from the command line, where other users see them.
 */
final class RemoteCommandOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "8",
            description = "downloads at once, 1 to 64 (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "trust the certificate authorities of this PEM file"
            + " instead of the JDK's")
    Path caCert;

    @Option(names = "--client-cert", paramLabel = "FILE", description = "PEM client certificate for TLS (needs --client-key)")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "its private key: PEM, unencrypted PKCS#8")
    Path clientKey;

    @Option(names = "--proxy", paramLabel = "URL", description = "an http://HOST:PORT proxy")
    String proxy;

    @Option(names = "--credentials", paramLabel = "FILE", description = "username= and password= lines for HTTP basic"
            + " authentication; refused when other users may read the file")
    Path credentials;

    /** The options as the core takes them; usage errors for values that cannot be. */
    RemoteOptions remoteOptions() {
        if (connections < 1 || connections > 64) {
            throw usage("Invalid value for option '--connections': " + connections + " (expected 1 to 64)");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw usage("--client-cert and --client-key go together");
        }
        RemoteOptions options = RemoteOptions.defaults().connections(connections);
        if (caCert != null) {
            options = options.caCertificates(caCert);
        }
        if (clientCert != null) {
            options = options.clientCertificate(clientCert, clientKey);
        }
        if (proxy != null) {
            try {
                options = options.proxy(new URI(proxy));
            } catch (URISyntaxException e) {
                throw usage("Invalid value for option '--proxy': " + proxy + " (expected http://HOST:PORT)");
            }
        }
        if (credentials != null) {
            options = options.credentials(credentials);
        }
        return options;
    }

    /** Whether any of these options was given (they make sense only where something is downloaded). */
    boolean given() {
        return caCert != null || clientCert != null || clientKey != null || proxy != null || credentials != null
                || spec.commandLine().getParseResult().hasMatchedOption("--connections");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** {@code SOURCE} of a sync as a URL: present for http:// and https://, a usage error for another scheme, else empty. */
    static Optional<URI> url(CommandSpec spec, String source) {
        int scheme = source.indexOf("://");
        if (scheme < 0 || !source.substring(0, scheme).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return Optional.empty();
        }
        String name = source.substring(0, scheme).toLowerCase(Locale.ROOT);
        if (!name.equals("http") && !name.equals("https")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "only http:// and https:// URLs can be synced from,"
                    + " not " + name + "://");
        }
        try {
            return Optional.of(new URI(source));
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not a valid URL: " + source + " (" + e.getReason() + ")");
        }
    }

    /** {@code --policy immediate|on-demand}. */
    static DownloadPolicy policy(CommandSpec spec, String policy) {
        return switch (policy) {
            case "immediate" -> DownloadPolicy.IMMEDIATE;
            case "on-demand" -> DownloadPolicy.ON_DEMAND;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--policy': '"
                    + policy + "' (expected immediate or on-demand)");
        };
    }
}
