package io.peapod.kubelet.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// `metadata.ownerReferences[]`: the object this one belongs to. The one with `controller` set is the
/// object that manages it (a pod's ReplicaSet or Job); deleting an owner deletes what it owns.
public record OwnerReference(String apiVersion, String kind, String name, String uid, boolean controller,
    boolean blockOwnerDeletion) {

  /// Reads a `metadata.ownerReferences` list; at most one entry may be the controller.
  public static List<OwnerReference> parseAll(Fields f, Object list, String field) {
    List<OwnerReference> out = new ArrayList<>();
    List<Object> refs = f.list(list, field);
    boolean controller = false;
    for (int i = 0; i < refs.size(); i++) {
      String at = field + "[" + i + "]";
      Map<String, Object> r = f.map(refs.get(i), at);
      for (String required : List.of("apiVersion", "kind", "name", "uid")) {
        if (f.string(r.get(required), at + "." + required).isEmpty()) {
          throw f.error(at + "." + required, "is required");
        }
      }
      OwnerReference o = new OwnerReference(f.string(r.get("apiVersion"), at + ".apiVersion"),
          f.string(r.get("kind"), at + ".kind"), f.string(r.get("name"), at + ".name"),
          f.string(r.get("uid"), at + ".uid"), f.bool(r.get("controller"), at + ".controller"),
          f.bool(r.get("blockOwnerDeletion"), at + ".blockOwnerDeletion"));
      if (o.controller() && controller) {
        throw f.error(at + ".controller", "only one owner reference may be the controller");
      }
      controller |= o.controller();
      out.add(o);
    }
    return out;
  }

  /// The reference as it is written in a manifest.
  public Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("apiVersion", apiVersion);
    m.put("kind", kind);
    m.put("name", name);
    m.put("uid", uid);
    m.put("controller", controller);
    m.put("blockOwnerDeletion", blockOwnerDeletion);
    return m;
  }
}
