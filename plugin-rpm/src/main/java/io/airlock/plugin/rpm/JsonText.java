package io.airlock.plugin.rpm;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.H2Dialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.dialect.type.H2JsonJdbcType;
import org.hibernate.dialect.type.PgJdbcHelper;
import org.hibernate.dialect.type.PostgreSQLCastingJsonJdbcType;
import org.hibernate.engine.jdbc.spi.JdbcServices;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.JsonJdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

/**
 * The column type of a package's dependency lists and primary file list ({@code @JdbcTypeCode(JsonText.CODE)}):
 * JSON text in a {@code varchar} column on H2, the database's JSON type elsewhere (PostgreSQL's
 * {@code jsonb}). H2 parses and re-encodes every value bound to a {@code json} column, which was a
 * fifth of an RPM sync's CPU; these lists are only ever written and read whole, so on H2 they are
 * kept as the JSON text Hibernate writes (rpm migration 4). Found by Hibernate through
 * {@code META-INF/services/org.hibernate.boot.model.TypeContributor}.
 */
public final class JsonText implements TypeContributor {

    /** The type code of such columns; outside the range of {@link SqlTypes}. */
    public static final int CODE = 30_001;

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry services) {
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        Dialect dialect = services.requireService(JdbcServices.class).getDialect();
        if (dialect instanceof H2Dialect) {
            registry.addDescriptor(CODE, new H2Text());
        } else if (dialect instanceof PostgreSQLDialect) {
            // What PostgreSQL's dialect maps SqlTypes.JSON to; not yet registered when contributors run.
            registry.addDescriptor(CODE, PgJdbcHelper.isUsable(services) ? PgJdbcHelper.getJsonbJdbcType(services)
                    : PostgreSQLCastingJsonJdbcType.JSONB_INSTANCE);
        } else {
            registry.addDescriptor(CODE, JsonJdbcType.INSTANCE);
        }
    }

    /** H2's JSON binding (the text as UTF-8 bytes, which H2 stores as they are in a {@code varchar}) over a {@code varchar} column. */
    private static final class H2Text extends H2JsonJdbcType {
        H2Text() {
            super(null);
        }

        @Override
        public int getDdlTypeCode() {
            return SqlTypes.VARCHAR;
        }

        @Override
        public String toString() {
            return "JsonText.H2Text";
        }
    }
}
