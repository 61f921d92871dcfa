package io.airlock.plugin.rpm.publish;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes on while counting them and feeding a digest. */
final class HashingOutputStream extends FilterOutputStream {

    private final MessageDigest digest;
    private long count;

    HashingOutputStream(OutputStream out, MessageDigest digest) {
        super(out);
        this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        digest.update(bytes, offset, length);
        count += length;
    }

    long count() {
        return count;
    }

    MessageDigest digest() {
        return digest;
    }
}
