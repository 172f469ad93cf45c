package org.apotheca.net4j.db.derby;

import java.util.HexFormat;

/**
 * The secret an encrypted Derby database is opened with: 32 random bytes, used by Derby as the AES-256 key of the
 * database itself (see {@link DerbyDatabase#dataSource(java.nio.file.Path, BootKey)}).
 * <p>
 * It never prints: {@link #toString()} says what it is, not what it holds, so that a key that slips into a message
 * or a log line shows nothing.
 */
public final class BootKey {

  /** AES-256. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private BootKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}, which must be {@value #LENGTH} bytes long. */
  public static BootKey of(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      // the length only: even a wrong key is not shown
      throw new IllegalArgumentException("a boot key has " + LENGTH + " bytes, not " + (bytes == null ? "none" : bytes.length));
    }
    return new BootKey(bytes.clone());
  }

  /**
   * What Derby's {@code encryptionKey} attribute takes. Derby only accepts the key as a string, so each connection
   * that may boot the database makes one; it cannot be wiped afterwards.
   */
  String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public String toString() {
    return "BootKey[" + LENGTH * 8 + " bits, not shown]";
  }
}
