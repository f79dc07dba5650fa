package dev.kedaotel.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes objects of one rendering (or of one example file), parsed into plain maps and lists,
 * with look-ups by kind and name. Parsing proves the output is valid YAML; the look-ups fail with a
 * message listing what was rendered, so a broken template is easy to diagnose.
 */
final class Manifests {
    private final List<Node> objects;

    private Manifests(List<Node> objects) {
        this.objects = objects;
    }

    static Manifests parse(String multiDocumentYaml) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Node> objects = new ArrayList<>();
        for (Object doc : yaml.loadAll(multiDocumentYaml)) {
            if (doc != null) {
                objects.add(new Node(doc, "$"));
            }
        }
        return new Manifests(objects);
    }

    List<Node> all() {
        return objects;
    }

    List<Node> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.str("kind"))).collect(Collectors.toList());
    }

    boolean has(String kind) {
        return !ofKind(kind).isEmpty();
    }

    /** The only object of this kind; fails when there is none or more than one. */
    Node one(String kind) {
        List<Node> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + " but found " + found.size() + " among " + summary());
        }
        return found.get(0);
    }

    Node get(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.str("metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " among " + summary()));
    }

    String summary() {
        return objects.stream().map(o -> o.str("kind") + "/" + o.str("metadata.name")).collect(Collectors.toList()).toString();
    }
}
