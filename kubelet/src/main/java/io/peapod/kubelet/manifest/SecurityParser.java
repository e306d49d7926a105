package io.peapod.kubelet.manifest;

import io.peapod.kubelet.manifest.PodManifest.Security;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/// Pod and container `securityContext`s, validated as the API server validates them.
final class SecurityParser {
  private static final long MAX_ID = Integer.MAX_VALUE;
  private static final Pattern SYSCTL = Pattern.compile("([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?");
  private final Fields f;

  SecurityParser(Fields f) {
    this.f = f;
  }

  PodSecurity pod(Object o) {
    String at = "spec.securityContext";
    Map<String, Object> sc = f.optionalMap(o, at);
    List<Long> groups = new ArrayList<>();
    int i = 0;
    for (Object g : f.list(sc.get("supplementalGroups"), at + ".supplementalGroups")) {
      groups.add(id(g, at + ".supplementalGroups[" + i++ + "]"));
    }
    f.oneOf(sc.get("fsGroupChangePolicy"), at + ".fsGroupChangePolicy", "Always", List.of("Always", "OnRootMismatch"));
    Map<String, String> sysctls = new LinkedHashMap<>();
    i = 0;
    for (Object s : f.list(sc.get("sysctls"), at + ".sysctls")) {
      String sp = at + ".sysctls[" + i++ + "]";
      Map<String, Object> sm = f.map(s, sp);
      String name = f.string(sm.get("name"), sp + ".name");
      if (name.length() > 253 || !SYSCTL.matcher(name).matches()) {
        throw f.error(sp + ".name", "'" + name + "' is not a sysctl name (like net.ipv4.ip_local_port_range)");
      }
      if (sysctls.put(name.replace('/', '.'), f.string(sm.get("value"), sp + ".value")) != null) {
        throw f.error(sp + ".name", "'" + name + "' is set twice");
      }
    }
    return new PodSecurity(optionalId(sc, "runAsUser", at), optionalId(sc, "runAsGroup", at),
        optionalBool(sc, "runAsNonRoot", at), groups, optionalId(sc, "fsGroup", at),
        seccomp(sc.get("seccompProfile"), at + ".seccompProfile"), sysctls);
  }

  Security container(Object o, String at, boolean hostUsers) {
    String sp = at + ".securityContext";
    Map<String, Object> sc = f.optionalMap(o, sp);
    Map<String, Object> caps = f.optionalMap(sc.get("capabilities"), sp + ".capabilities");
    boolean privileged = f.bool(sc.get("privileged"), sp + ".privileged");
    Optional<Boolean> escalation = optionalBool(sc, "allowPrivilegeEscalation", sp);
    List<String> add = f.strings(caps.get("add"), sp + ".capabilities.add");
    if (escalation.equals(Optional.of(false)) && privileged) {
      throw f.error(sp, "cannot set allowPrivilegeEscalation to false and privileged to true");
    }
    if (escalation.equals(Optional.of(false)) && add.stream().anyMatch(c -> c.equalsIgnoreCase("SYS_ADMIN")
        || c.equalsIgnoreCase("CAP_SYS_ADMIN"))) {
      throw f.error(sp, "cannot set allowPrivilegeEscalation to false and capabilities.add CAP_SYS_ADMIN");
    }
    String procMount = f.oneOf(sc.get("procMount"), sp + ".procMount", "Default", List.of("Default", "Unmasked"));
    if (procMount.equals("Unmasked") && hostUsers) {
      throw f.error(sp + ".procMount", "Unmasked needs spec.hostUsers: false (an unmasked /proc is only safe"
          + " inside a user namespace)");
    }
    return new Security(privileged, optionalId(sc, "runAsUser", sp), optionalId(sc, "runAsGroup", sp),
        optionalBool(sc, "runAsNonRoot", sp), f.bool(sc.get("readOnlyRootFilesystem"), sp + ".readOnlyRootFilesystem"),
        escalation, add, f.strings(caps.get("drop"), sp + ".capabilities.drop"),
        seccomp(sc.get("seccompProfile"), sp + ".seccompProfile"), procMount);
  }

  private Optional<Seccomp> seccomp(Object o, String at) {
    if (o == null) {
      return Optional.empty();
    }
    Map<String, Object> m = f.map(o, at);
    String type = f.oneOf(m.get("type"), at + ".type", "", List.of("RuntimeDefault", "Unconfined", "Localhost"));
    String profile = f.string(m.get("localhostProfile"), at + ".localhostProfile");
    if (type.equals("Localhost")) {
      if (profile.isEmpty() || profile.startsWith("/") || List.of(profile.split("/")).contains("..")) {
        throw f.error(at + ".localhostProfile", "'" + profile + "' must be a relative path without '..' (a file in"
            + " the daemon's --seccomp-profile-root)");
      }
    } else if (!profile.isEmpty()) {
      throw f.error(at + ".localhostProfile", "may be set only when type is Localhost");
    }
    return Optional.of(new Seccomp(type, profile));
  }

  private Optional<Long> optionalId(Map<String, Object> sc, String field, String at) {
    return sc.containsKey(field) ? Optional.of(id(sc.get(field), at + "." + field)) : Optional.empty();
  }

  private long id(Object o, String field) {
    long n = f.number(o, field);
    if (n < 0 || n > MAX_ID) {
      throw f.error(field, n + " must be within 0-" + MAX_ID);
    }
    return n;
  }

  private Optional<Boolean> optionalBool(Map<String, Object> sc, String field, String at) {
    return sc.containsKey(field) ? Optional.of(f.bool(sc.get(field), at + "." + field)) : Optional.empty();
  }
}
