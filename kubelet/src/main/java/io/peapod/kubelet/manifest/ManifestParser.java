package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.manifest.ParsedManifests.PodDocument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/// Reads Kubernetes YAML (one or more `---`-separated documents, or a `kind: List`) into validated pods
/// and secrets, and validates the pod templates of workloads.
/// Errors name the file, the object, the field's path and what to do; nothing is returned for a file
/// with any error. Unknown fields are warnings, as `kubectl apply` gives them.
public final class ManifestParser {
  /// Documents nested deeper than this are refused: no manifest needs it, and a parser must not
  /// recurse without bound on input an attacker wrote.
  private static final int MAX_NESTING = 64;
  private static final int MAX_ALIASES = 50;
  /// Values a document may hold with its aliases expanded; a pod manifest has hundreds.
  private static final long MAX_NODES = 1_000_000;

  public ParsedManifests parse(String yaml, String source) {
    return parse(documents(yaml, source), source);
  }

  /// The objects of a YAML (or JSON) text, with the items of a `kind: List` in its place; each has
  /// string keys only and a bounded size. An empty text is an error.
  public List<Map<String, Object>> documents(String yaml, String source) {
    List<Object> docs = new ArrayList<>();
    try {
      LoaderOptions options = new LoaderOptions();
      options.setMaxAliasesForCollections(MAX_ALIASES);
      options.setNestingDepthLimit(MAX_NESTING);
      options.setAllowDuplicateKeys(false);
      for (Object doc : new Yaml(new SafeConstructor(options)).loadAll(yaml)) {
        if (doc != null) {
          requireStringKeys(doc, source);
          docs.add(doc);
        }
      }
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      throw new InvalidArgumentException(source + ": malformed YAML at line " + (mark.getLine() + 1) + ", column "
          + (mark.getColumn() + 1) + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new InvalidArgumentException(source + ": malformed YAML: " + e.getMessage());
    }
    if (docs.isEmpty()) {
      throw new InvalidArgumentException(source + ": no objects found (empty file?)");
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    Fields f = new Fields(source);
    for (Object doc : docs) {
      Map<String, Object> obj = f.map(plain(doc), "(document)");
      if ("List".equals(obj.get("kind")) || String.valueOf(obj.get("kind")).endsWith("List")
          && obj.containsKey("items")) {
        List<Object> items = f.list(obj.get("items"), "items");
        for (int i = 0; i < items.size(); i++) {
          objects.add(f.map(items.get(i), "items[" + i + "]"));
        }
      } else {
        objects.add(obj);
      }
    }
    return objects;
  }

  /// The tree with YAML's other scalar types (timestamps, binary) as the strings JSON would carry, so
  /// every object can be stored and served as JSON.
  private static Object plain(Object node) {
    return switch (node) {
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
        yield out;
      }
      case List<?> l -> l.stream().map(ManifestParser::plain).collect(java.util.stream.Collectors.toList());
      case java.util.Date d -> d.toInstant().toString();
      case byte[] b -> Base64.getEncoder().encodeToString(b);
      case null -> null;
      default -> node;
    };
  }

  /// The pods, ConfigMaps and Secrets among `objects`; any other kind is an error naming it.
  public ParsedManifests parse(List<Map<String, Object>> objects, String source) {
    List<PodDocument> pods = new ArrayList<>();
    List<DataObject> data = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Yaml dumper = new Yaml(new DumperOptions());
    for (Map<String, Object> obj : objects) {
      if ("Secret".equals(obj.get("kind")) || "ConfigMap".equals(obj.get("kind"))) {
        DataObject d = dataObject(obj, source, warnings);
        if (!names.add(d.kind() + " " + d.namespace() + "/" + d.name())) {
          throw new InvalidArgumentException(source + ": " + d.kind().resource() + " " + d.namespace() + "/"
              + d.name() + " is defined twice");
        }
        data.add(d);
        continue;
      }
      PodManifest pod = document(obj, source, warnings);
      if (!names.add(pod.namespace() + "/" + pod.name())) {
        throw new InvalidArgumentException(source + ": pod " + pod.namespace() + "/" + pod.name() + " is defined twice");
      }
      pods.add(new PodDocument(pod, dumper.dump(obj)));
    }
    return new ParsedManifests(pods, data, warnings);
  }

  /// Validates a workload's pod template (`spec.template` of a Job, ReplicaSet, ...) as the pod it
  /// makes, named `podName`; warnings go to `warnings`. `where` names the workload in messages.
  public PodManifest template(Map<String, Object> template, String podName, String namespace, String where,
      String origin, List<String> warnings) {
    Fields f = new Fields(where);
    Map<String, Object> templateMeta = f.optionalMap(template.get("metadata"), "spec.template.metadata");
    Map<String, Object> podSpec = f.map(template.get("spec"), "spec.template.spec");
    if (podSpec.containsKey("ephemeralContainers")) {
      throw f.error("spec.template.spec.ephemeralContainers", "Forbidden: cannot be set in a pod template; add one to"
          + " a running pod with peapod debug");
    }
    FieldSchema.check(templateMeta, FieldSchema.METADATA, "spec.template.metadata", where, warnings);
    FieldSchema.check(podSpec, FieldSchema.POD_SPEC, "spec", where, warnings);
    Map<String, Object> podMeta = new LinkedHashMap<>(templateMeta);
    podMeta.put("name", podName);
    podMeta.put("namespace", namespace);
    return new PodSpecParser(f).pod(podMeta, podSpec, origin);
  }

  /// Field names are strings in Kubernetes objects; YAML also allows numbers, booleans and even maps as
  /// keys (`? {a: 1}`), which no field can be. The walk also bounds the document as every later walk sees
  /// it: aliases are shared, not copied, so a few of them nested can stand for billions of nodes (the
  /// loader's alias limit alone does not stop that), and such a document is refused before anything walks it.
  private static void requireStringKeys(Object doc, String source) {
    long[] left = {MAX_NODES};
    requireStringKeys(doc, "", source, left);
  }

  private static void requireStringKeys(Object node, String path, String source, long[] left) {
    if (--left[0] < 0) {
      throw tooLarge(source);
    }
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new InvalidArgumentException(source + ": " + (path.isEmpty() ? "a top-level" : "under " + path + ", a")
              + " field name is not a string (" + String.valueOf(e.getKey()).lines().findFirst().orElse("")
              + "); quote it");
        }
        requireStringKeys(e.getValue(), path.isEmpty() ? key : path + "." + key, source, left);
      }
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        Object item = l.get(i);
        if (item instanceof Map<?, ?> || item instanceof List<?>) {
          requireStringKeys(item, path + "[" + i + "]", source, left);
        } else if (--left[0] < 0) {
          throw tooLarge(source);
        }
      }
    }
  }

  private static InvalidArgumentException tooLarge(String source) {
    return new InvalidArgumentException(source + ": the document stands for more than " + MAX_NODES
        + " values once its aliases are expanded; write it out without nested aliases");
  }

  /// One stored pod document with another `metadata.name` (a static pod's `<name>-<node>`), so that
  /// reading it again gives the name the pod runs under.
  public static String renamed(String documentYaml, String name) {
    return withMetadata(documentYaml, "name", name);
  }

  /// One stored document with `metadata.<field>` set to `value` (removed when `value` is null).
  public static String withMetadata(String documentYaml, String field, Object value) {
    return withField(documentYaml, "metadata", field, value);
  }

  /// The document with `spec.<field>` set to `value` (removed when null).
  public static String withSpec(String documentYaml, String field, Object value) {
    return withField(documentYaml, "spec", field, value);
  }

  /// `spec.<field>` of a document as it was written, if it is there.
  public static Optional<Object> specField(String documentYaml, String field) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(documentYaml);
    Fields f = new Fields("document");
    return Optional.ofNullable(f.optionalMap(f.map(doc, "(document)").get("spec"), "spec").get(field));
  }

  private static String withField(String documentYaml, String section, String field, Object value) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(documentYaml);
    Map<String, Object> obj = new Fields("document").map(doc, "(document)");
    Map<String, Object> part = new LinkedHashMap<>(new Fields("document").optionalMap(obj.get(section), section));
    if (value == null) {
      part.remove(field);
    } else {
      part.put(field, value);
    }
    Map<String, Object> copy = new LinkedHashMap<>(obj);
    copy.put(section, part);
    return new Yaml(new DumperOptions()).dump(copy);
  }

  private DataObject dataObject(Map<String, Object> obj, String source, List<String> warnings) {
    boolean secret = "Secret".equals(obj.get("kind"));
    Fields top = new Fields(source);
    Map<String, Object> metadata = top.optionalMap(obj.get("metadata"), "metadata");
    String name = top.string(metadata.get("name"), "metadata.name");
    Fields f = new Fields(source + ": " + obj.get("kind") + " \"" + name + "\"");
    requireApi(f, f.string(obj.get("apiVersion"), "apiVersion"), "v1");
    FieldSchema.check(obj, secret ? FieldSchema.SECRET : FieldSchema.CONFIG_MAP, "", f.where(), warnings);
    if (!Fields.DNS_SUBDOMAIN.matcher(name).matches()) {
      throw f.error("metadata.name", "'" + name + "' must be lowercase letters, digits, '-' and '.', starting and"
          + " ending with a letter or digit");
    }
    String namespace = f.string(metadata.getOrDefault("namespace", "default"), "metadata.namespace");
    f.dnsLabel(namespace, "metadata.namespace");
    String type = secret ? f.string(obj.getOrDefault("type", "Opaque"), "type") : "";
    String encoded = secret ? "data" : "binaryData";
    String plain = secret ? "stringData" : "data";
    Map<String, byte[]> data = new LinkedHashMap<>();
    EnvParser keys = new EnvParser(f);
    for (Map.Entry<String, String> e : f.stringMap(obj.get(encoded), encoded).entrySet()) {
      keys.configKey(e.getKey(), encoded + "." + e.getKey());
      try {
        data.put(e.getKey(), Base64.getMimeDecoder().decode(e.getValue()));
      } catch (IllegalArgumentException bad) {
        throw f.error(encoded + "." + e.getKey(), "is not base64 (" + bad.getMessage() + "); put plain text under "
            + plain + " instead");
      }
    }
    for (Map.Entry<String, String> e : f.stringMap(obj.get(plain), plain).entrySet()) {
      keys.configKey(e.getKey(), plain + "." + e.getKey());
      if (data.put(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8)) != null && !secret) {
        throw f.error(plain + "." + e.getKey(), "is also in binaryData; a key may be in only one of them");
      }
    }
    if (type.equals(DataObject.DOCKER_CONFIG_JSON) && !data.containsKey(".dockerconfigjson")) {
      throw new InvalidArgumentException(f.where() + ": a secret of type " + type + " needs data[.dockerconfigjson]"
          + " (kubectl create secret docker-registry makes one)");
    }
    return new DataObject(secret ? EnvVar.ObjectKind.SECRET : EnvVar.ObjectKind.CONFIG_MAP, name, namespace, type,
        data);
  }

  private PodManifest document(Map<String, Object> obj, String source, List<String> warnings) {
    Fields top = new Fields(source);
    String kind = top.string(obj.get("kind"), "kind");
    String apiVersion = top.string(obj.get("apiVersion"), "apiVersion");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw new InvalidArgumentException(source + ": apiVersion and kind are required (for a pod: apiVersion: v1,"
          + " kind: Pod)");
    }
    Map<String, Object> metadata = top.optionalMap(obj.get("metadata"), "metadata");
    Map<String, Object> spec = top.optionalMap(obj.get("spec"), "spec");
    String name = top.string(metadata.get("name"), "metadata.name");
    String namespace = top.string(metadata.getOrDefault("namespace", "default"), "metadata.namespace");
    Fields f = new Fields(source + ": " + kind + " \"" + name + "\"");
    return switch (kind) {
      case "Pod" -> {
        requireApi(f, apiVersion, "v1");
        FieldSchema.check(obj, FieldSchema.POD, "", f.where(), warnings);
        yield new PodSpecParser(f).pod(metadata, spec, "Pod");
      }
      default -> throw f.error("kind", kind + " is not a kind the kubelet runs; it takes Pod, ConfigMap and Secret");
    };
  }

  private static void requireApi(Fields f, String apiVersion, String want) {
    if (!apiVersion.equals(want)) {
      throw f.error("apiVersion", apiVersion + " is not served; use " + want);
    }
  }
}
