package io.peapod.sys;

/// What kind of file a [PathHandle] refers to: the type bits of its `st_mode`.
public enum FileKind {
  DIRECTORY,
  REGULAR,
  SYMLINK,
  SOCKET,
  CHAR_DEVICE,
  BLOCK_DEVICE,
  FIFO;

  /// From `st_mode & S_IFMT`.
  public static FileKind ofMode(int mode) {
    return switch (mode & 0170000) {
      case 0040000 -> DIRECTORY;
      case 0120000 -> SYMLINK;
      case 0140000 -> SOCKET;
      case 0020000 -> CHAR_DEVICE;
      case 0060000 -> BLOCK_DEVICE;
      case 0010000 -> FIFO;
      default -> REGULAR;
    };
  }
}
