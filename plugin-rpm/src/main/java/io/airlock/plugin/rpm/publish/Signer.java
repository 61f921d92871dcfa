package io.airlock.plugin.rpm.publish;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs a signing command: repomd.xml on its standard input, its standard output the signature. */
final class Signer {

    private Signer() {
    }

    /**
     * Runs {@code signing}'s command with {@code repomd} as its input and {@code signature} as its
     * output; its standard error goes to a file in {@code scratch}, and its last line is quoted when
     * the command fails (an exit status other than 0, or no output).
     */
    static void sign(PublishOptions.Signing signing, Path repomd, Path signature, Path scratch) throws IOException {
        List<String> command = signing.command();
        Path errors = Files.createTempFile(scratch, ".sign-", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectInput(repomd.toFile()).redirectOutput(signature.toFile())
                        .redirectError(errors.toFile()).start();
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "cannot run the signing command " + Messages.cut(command.get(0))
                        + ": " + e.getMessage(), e);
            }
            int status;
            try {
                status = process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AirlockException(ErrorCode.CANCELLED, "cancelled while signing repomd.xml");
            }
            if (status != 0) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "the signing command " + Messages.cut(String.join(" ", command))
                        + " exited with status " + status + lastLine(errors));
            }
            if (Files.size(signature) == 0) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "the signing command " + Messages.cut(String.join(" ", command))
                        + " wrote no signature" + lastLine(errors));
            }
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static String lastLine(Path errors) throws IOException {
        long size = Files.size(errors);
        byte[] tail;
        try (java.io.InputStream in = Files.newInputStream(errors)) {
            in.skipNBytes(Math.max(0, size - 4096)); // the last line is what matters, however much came before
            tail = in.readAllBytes();
        }
        List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : ": " + Messages.cut(lines.get(lines.size() - 1).strip());
    }
}
