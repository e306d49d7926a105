package io.peapod.base.json;

import java.util.List;

/// A record component's type with its type arguments (`List<Pod>`), read from its generic signature
/// rather than through `getGenericType()`, whose machinery costs a cold reader (the CLI) milliseconds.
record TypeRef(Class<?> raw, List<TypeRef> args) {
  /// From a field signature (`Ljava/util/List<Lio/peapod/X;>;`), loading classes with `loader`.
  static TypeRef of(String signature, ClassLoader loader) {
    return new SignatureReader(signature, loader).type();
  }

  /// Reads a field signature (`Ljava/util/List<Lio/peapod/X;>;`, `I`) into a [TypeRef].
  private static final class SignatureReader {
    private final String s;
    private final ClassLoader loader;
    private int pos;

    SignatureReader(String s, ClassLoader loader) {
      this.s = s;
      this.loader = loader;
    }

    TypeRef type() {
      char c = s.charAt(pos++);
      return switch (c) {
        case 'I' -> new TypeRef(int.class, List.of());
        case 'J' -> new TypeRef(long.class, List.of());
        case 'Z' -> new TypeRef(boolean.class, List.of());
        case 'D' -> new TypeRef(double.class, List.of());
        case 'L' -> {
          int start = pos;
          while (s.charAt(pos) != '<' && s.charAt(pos) != ';') {
            pos++;
          }
          Class<?> raw = load(s.substring(start, pos).replace('/', '.'));
          List<TypeRef> args = new java.util.ArrayList<>();
          if (s.charAt(pos) == '<') {
            pos++;
            while (s.charAt(pos) != '>') {
              args.add(type());
            }
            pos++;
          }
          pos++;
          yield new TypeRef(raw, List.copyOf(args));
        }
        default -> throw new IllegalStateException("signature " + s + ": no JSON form for '" + c + "'");
      };
    }

    private Class<?> load(String name) {
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("signature names " + name + ", which is not loadable", e);
      }
    }
  }
}
