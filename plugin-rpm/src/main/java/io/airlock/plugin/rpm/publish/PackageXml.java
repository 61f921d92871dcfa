package io.airlock.plugin.rpm.publish;

import java.io.IOException;

/** A writer of one per-package metadata file: the header with the package count, one entry per package, the footer. */
interface PackageXml {

    void begin(long packages) throws IOException;

    void add(PackageRow row) throws IOException;

    void end() throws IOException;
}
