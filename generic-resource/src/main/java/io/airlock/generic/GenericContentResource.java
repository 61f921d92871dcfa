package io.airlock.generic;

import io.airlock.spi.Content;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentType;
import io.airlock.spi.ResourceContext;

/** Placeholder until the generic-resource branch lands; replaced by the real implementation. */
public abstract class GenericContentResource<T extends Content> implements ContentResource<T> {
    public static <T extends Content> GenericContentResource<T> create(ContentType<T> type, ResourceContext context) {
        throw new UnsupportedOperationException("generic resource not built yet");
    }
}
