package io.cqkd.dht.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic YAML: documents are built as insertion-ordered maps and lists, written by Jackson
 * with every string value double-quoted (no YAML 1.1 surprises such as a region {@code no} read as
 * a boolean, or {@code 22:22} as a base-60 number), no line splitting, multi-line strings as
 * literal blocks, {@code \n} line ends, no document markers, no timestamps.
 */
final class Yaml {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    private Yaml() {
    }

    /** One document, ending with a newline. */
    static String write(Object document) {
        try {
            String s = MAPPER.writeValueAsString(document).replace("\r\n", "\n");
            return s.endsWith("\n") ? s : s + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Several documents separated by {@code ---} lines. */
    static String writeAll(List<?> documents) {
        StringBuilder sb = new StringBuilder();
        for (Object d : documents) {
            sb.append("---\n").append(write(d));
        }
        return sb.toString();
    }

    /** An ordered map from key, value pairs. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** A mutable list of the values. */
    static List<Object> list(Object... values) {
        return new ArrayList<>(List.of(values));
    }
}
