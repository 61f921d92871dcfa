package io.airlock.cli;

import io.airlock.core.trust.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code key create DIR}: an Ed25519 key pair for signing exports. */
@Command(name = "key", description = "Keys that sign exports.")
final class KeyCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(name = "create", description = "Write an Ed25519 key pair to DIR: NAME.key (private, mode 0600) and NAME.pub; "
            + "never overwrites a key.")
    int create(@Parameters(paramLabel = "DIR") Path directory,
            @Option(names = "--name", paramLabel = "NAME", defaultValue = SigningKey.DEFAULT_NAME,
                    description = "base name of the key files (default: ${DEFAULT-VALUE})") String name) {
        SigningKey.Created created = SigningKey.create(directory, name);
        PrintWriter out = spec.commandLine().getOut();
        out.println("private key: " + created.privateKey() + " (keep it secret; export --sign uses it)");
        out.println("public key: " + created.publicKey() + " (give it to importers: --trust, or their home's trust/)");
        out.println("fingerprint: " + created.fingerprint());
        return 0;
    }
}
