package io.airlock.spi;

import jakarta.persistence.metamodel.Metamodel;

/** What a resource may use when it is created: the metamodel and the other types' resources. */
public interface ResourceContext {

    Metamodel metamodel();

    /**
     * The resource of another content class, for writing references to it by natural key. Resolved
     * lazily: call it when rows are written, not while the resource is being created.
     */
    <C extends Content> ContentResource<C> resourceFor(Class<C> contentClass);
}
