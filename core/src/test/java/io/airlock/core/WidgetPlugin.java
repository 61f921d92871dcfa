package io.airlock.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.spi.ContentKey;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentResource;
import io.airlock.spi.ContentType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Test plugin "test" with one hand-written content type, {@code test.widget}. */
public final class WidgetPlugin implements ContentPlugin {

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public List<ContentType<?>> contentTypes() {
        return List.of(ContentType.of(Widget.class, context -> new WidgetResource()));
    }

    static final class WidgetResource implements ContentResource<Widget> {
        @Override
        public String typeId() {
            return "test.widget";
        }

        @Override
        public Class<Widget> entityClass() {
            return Widget.class;
        }

        @Override
        public List<String> naturalKeyFields() {
            return List.of("name", "revision");
        }

        @Override
        public ContentKey naturalKey(Widget unit) {
            return ContentKey.of(typeId(), Map.of("name", unit.name(), "revision", unit.revision()));
        }

        @Override
        public void writeRow(Widget unit, JsonGenerator out) throws IOException {
            out.writeStartObject();
            out.writeStringField("name", unit.name());
            out.writeNumberField("revision", unit.revision());
            out.writeEndObject();
        }

        @Override
        public Widget readRow(ObjectNode row, RowReader reader) {
            return new Widget(row.get("name").asText(), row.get("revision").asInt());
        }
    }
}
