package io.airlock.core.archive;

import io.airlock.core.store.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * The byte stream of an export written to one file or cut into chunks of a fixed size, each hashed
 * as it is written. Files go into a staging directory; the caller moves them into place once the
 * whole export has succeeded.
 */
final class ChunkedOutput extends OutputStream {

    private final Path directory;
    private final String exportName;
    private final OptionalLong chunkSize;
    private final List<Toc.TocFile> files = new ArrayList<>();
    private FileChannel channel;
    private MessageDigest digest;
    private long written;
    private boolean closed;

    ChunkedOutput(Path directory, String exportName, OptionalLong chunkSize) {
        this.directory = directory;
        this.exportName = exportName;
        this.chunkSize = chunkSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (channel == null || (chunkSize.isPresent() && written == chunkSize.getAsLong())) {
                next();
            }
            int n = chunkSize.isPresent() ? (int) Math.min(length, chunkSize.getAsLong() - written) : length;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, n);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            digest.update(bytes, offset, n);
            written += n;
            offset += n;
            length -= n;
        }
    }

    private void next() throws IOException {
        finishFile();
        String name = chunkSize.isPresent() ? ArchiveNames.chunkName(exportName, files.size()) : ArchiveNames.tarName(exportName);
        channel = FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        digest = Sha256.newDigest();
        written = 0;
    }

    private void finishFile() throws IOException {
        if (channel == null) {
            return;
        }
        channel.force(true);
        channel.close();
        String name = chunkSize.isPresent() ? ArchiveNames.chunkName(exportName, files.size()) : ArchiveNames.tarName(exportName);
        files.add(new Toc.TocFile(name, written, HexFormat.of().formatHex(digest.digest())));
        channel = null;
    }

    /** The files written, in order; call after {@link #close()}. */
    List<Toc.TocFile> files() {
        return List.copyOf(files);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null && files.isEmpty()) {
            next();
        }
        finishFile();
    }
}
