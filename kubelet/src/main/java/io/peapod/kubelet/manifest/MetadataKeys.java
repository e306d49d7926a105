package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import java.util.regex.Pattern;

/// Kubernetes' rules for label and annotation keys (`[prefix/]name`: a DNS subdomain prefix, a name of at
/// most 63 letters, digits, '-', '_' and '.', beginning and ending with a letter or digit) and label values
/// (the same as a name, or empty).
public final class MetadataKeys {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private MetadataKeys() {}

  public static void checkKey(String key, String what) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    String name = key.substring(slash + 1);
    if (slash >= 0 && (prefix.isEmpty() || prefix.length() > 253 || !Fields.DNS_SUBDOMAIN.matcher(prefix).matches())) {
      throw new InvalidArgumentException(what + " key '" + key + "': its prefix must be a DNS subdomain (like"
          + " example.com/)");
    }
    if (name.length() > 63 || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(what + " key '" + key + "': the name must be at most 63 letters, digits,"
          + " '-', '_' and '.', beginning and ending with a letter or digit");
    }
  }

  public static void checkLabelValue(String key, String value) {
    if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
      throw new InvalidArgumentException("label value '" + value + "' of " + key + ": must be at most 63 letters,"
          + " digits, '-', '_' and '.', beginning and ending with a letter or digit, or empty");
    }
  }
}
