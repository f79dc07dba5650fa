package dev.kedaotel.server.simulate;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a YAML document with its dotted path ({@code spec.triggers[0].metadata}) and its line, so every
 * error about a ScaledObject field can say {@code so.yaml:23: spec.pollingInterval: ...}.
 *
 * <p>Built on snakeyaml's composed node tree rather than its Java-object loading: the tree keeps the source
 * marks, and no YAML tag can instantiate a class (only mappings, sequences and scalars are read). Documents are
 * bounded by snakeyaml's own limits ({@link LoaderOptions}: aliases, nesting, size).
 */
final class YamlNode {
    private final String file;
    private final String path;
    private final Node node;

    private YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** The single document of {@code text}; {@code file} is only used in messages. */
    static YamlNode parse(String file, String text) throws BadInputException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            // One line: where and what (snakeyaml's own message spans several lines with a caret drawing).
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new BadInputException(file + ":" + line + ": not valid YAML: "
                    + (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem());
        } catch (YAMLException e) {
            throw new BadInputException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            throw new BadInputException(file + ": empty YAML document");
        }
        return new YamlNode(file, "", root);
    }

    String path() {
        return path.isEmpty() ? "(document)" : path;
    }

    int line() {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** An error about this node: {@code file:line: path: what}. */
    BadInputException error(String what) {
        return new BadInputException(file + ":" + line() + ": " + path() + ": " + what);
    }

    /** The child {@code key} of this mapping, if present and not null. */
    Optional<YamlNode> get(String key) throws BadInputException {
        return Optional.ofNullable(entries().get(key)).filter(n -> !n.isNull());
    }

    /** The child {@code key}, or an error naming it. */
    YamlNode require(String key) throws BadInputException {
        return get(key).orElseThrow(() -> new BadInputException(
                file + ":" + line() + ": " + child(key) + ": required field is missing"));
    }

    /** The entries of this mapping in document order; an error if this is not a mapping. */
    Map<String, YamlNode> entries() throws BadInputException {
        if (!(node instanceof MappingNode)) {
            throw error("expected a mapping (key: value lines), found " + kind());
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode)) {
                throw error("keys must be plain strings");
            }
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            out.put(key, new YamlNode(file, child(key), t.getValueNode()));
        }
        return out;
    }

    /** The items of this sequence; an error if this is not a sequence. */
    List<YamlNode> items() throws BadInputException {
        if (!(node instanceof SequenceNode)) {
            throw error("expected a list, found " + kind());
        }
        List<YamlNode> out = new ArrayList<>();
        List<Node> values = ((SequenceNode) node).getValue();
        for (int i = 0; i < values.size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", values.get(i)));
        }
        return out;
    }

    /** The text of this scalar ({@code 30}, {@code "4"} and {@code 4} all give their characters). */
    String text() throws BadInputException {
        if (!(node instanceof ScalarNode)) {
            throw error("expected a single value, found " + kind());
        }
        return ((ScalarNode) node).getValue();
    }

    /** This scalar as a whole number in {@code [min, max]}. */
    int integer(int min, int max) throws BadInputException {
        String t = text().trim();
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw error("\"" + t + "\" is not a whole number");
        }
        if (v < min || v > max) {
            throw error(v + " is out of range [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    /** Fails naming every key of this mapping that is not in {@code known} (a typo must not be ignored). */
    void onlyKeys(String... known) throws BadInputException {
        for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
            if (!List.of(known).contains(e.getKey())) {
                throw e.getValue().error("unknown or unsupported field (known here: " + String.join(", ", known) + ")");
            }
        }
    }

    private boolean isNull() {
        return node instanceof ScalarNode && "tag:yaml.org,2002:null".equals(node.getTag().getValue());
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String kind() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "\"" + ((ScalarNode) node).getValue() + "\"";
    }
}
