package io.airlock.plugin.rpm.repodata;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A stream that reports every byte read or skipped to {@link #counted}, which may stop the reader. */
abstract class CountingInputStream extends FilterInputStream {

    CountingInputStream(InputStream in) {
        super(in);
    }

    /** Called after {@code n} more bytes were read or skipped; throws to stop the reader at a limit. */
    abstract void counted(long n);

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }
}
