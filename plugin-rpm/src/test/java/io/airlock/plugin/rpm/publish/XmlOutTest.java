package io.airlock.plugin.rpm.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

final class XmlOutTest {

    @Test
    void textEscapesMarkupAndKeepsLineBreaks() throws IOException {
        StringWriter out = new StringWriter();

        new XmlOut(out).text("a < b & c > d \"q\"\nnext\r\tend");

        assertThat(out.toString()).isEqualTo("a &lt; b &amp; c &gt; d \"q\"\nnext&#13;\tend");
    }

    @Test
    void attributesEscapeQuotesAndWhitespaceThatParsersWouldNormalize() throws IOException {
        StringWriter out = new StringWriter();

        new XmlOut(out).attribute("name", "(a >= 1 with \"b\")\n\t").attribute("absent", null);

        assertThat(out.toString()).isEqualTo(" name=\"(a &gt;= 1 with &quot;b&quot;)&#10;&#9;\"");
    }

    @Test
    void aControlCharacterIsRefusedNotWritten() {
        StringWriter out = new StringWriter();

        assertThatThrownBy(() -> new XmlOut(out).text("bad\u0001text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("character U+0001 cannot be written in XML");
    }

    @Test
    void anUnpairedSurrogateIsRefusedAndAPairWritten() throws IOException {
        StringWriter out = new StringWriter();
        new XmlOut(out).text("emoji \uD83D\uDE00");

        assertThat(out.toString()).isEqualTo("emoji \uD83D\uDE00");
        assertThatThrownBy(() -> new XmlOut(new StringWriter()).text("half \uD83D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate U+D83D");
    }
}
