package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * A module stream's end of life or replacement ({@code document: modulemd-obsoletes}, version 1):
 * the stream (and optionally one context) it concerns, when it was last modified, a message, and
 * either a {@code reset} of earlier obsoletes or an {@code eol_date} and the stream that replaces it
 * ({@code obsoleted_by}). Keeps the original YAML document, which a publication writes as it is.
 *
 * <p>Labelled {@code module:stream[:context]@modified}: libmodulemd treats obsoletes of one stream,
 * context and modification time as one entry (the later replaces the earlier), so a version holds
 * at most one of each. Identified across installations by module, stream and the digest of the
 * document, since obsoletes have no version of their own.
 */
@Entity
@Table(name = "rpm_modulemd_obsolete")
@DiscriminatorValue(ModulemdObsolete.TYPE)
public class ModulemdObsolete extends Content {

    public static final String TYPE = "rpm.modulemd_obsolete";

    @NaturalKey
    @Column(name = "module", nullable = false, length = 255)
    private String module;

    @NaturalKey
    @Column(name = "stream", nullable = false, length = 255)
    private String stream;

    @NaturalKey
    @Column(name = "digest", nullable = false, length = 64)
    private String digest;

    /** The one context obsoleted; null: every context of the stream. */
    @Column(name = "context", length = 255)
    private String context;

    /** {@code modified} as written ({@code YYYY-MM-DDTHH:MMZ}, or the older {@code YYYYMMDDhhmm}). */
    @Column(name = "modified", nullable = false, length = 64)
    private String modified;

    /** {@code reset}: true cancels the obsoletes of the stream before it; null when not written. */
    @Column(name = "reset")
    private Boolean reset;

    /** {@code eol_date} as written; null: obsoleted at once. */
    @Column(name = "eol_date", length = 64)
    private String eolDate;

    @Column(name = "message", nullable = false, length = RpmText.LONG)
    private String message;

    @Column(name = "obsoleted_by_module", length = 255)
    private String obsoletedByModule;

    @Column(name = "obsoleted_by_stream", length = 255)
    private String obsoletedByStream;

    /** The original YAML document, from {@code ---} to {@code ...}. */
    @Column(name = "snippet", nullable = false, length = RpmText.DOCUMENT)
    private String snippet;

    protected ModulemdObsolete() {
    }

    public ModulemdObsolete(String module, String stream, String context, String modified, String message, String snippet) {
        this.module = module;
        this.stream = stream;
        this.context = context;
        this.modified = modified;
        this.message = message;
        this.snippet = snippet;
        this.digest = Digests.sha256(snippet);
    }

    /** The optional fields: {@code reset}, {@code eol_date} and {@code obsoleted_by}'s module and stream. */
    public ModulemdObsolete details(Boolean reset, String eolDate, String obsoletedByModule, String obsoletedByStream) {
        this.reset = reset;
        this.eolDate = eolDate;
        this.obsoletedByModule = obsoletedByModule;
        this.obsoletedByStream = obsoletedByStream;
        return this;
    }

    @Override
    public String label() {
        return module + ":" + stream + (context == null ? "" : ":" + context) + "@" + modified;
    }

    public String module() { return module; }
    public String stream() { return stream; }
    public String digest() { return digest; }
    public String context() { return context; }
    public String modified() { return modified; }
    public Boolean reset() { return reset; }
    public String eolDate() { return eolDate; }
    public String message() { return message; }
    public String obsoletedByModule() { return obsoletedByModule; }
    public String obsoletedByStream() { return obsoletedByStream; }
    public String snippet() { return snippet; }
}
