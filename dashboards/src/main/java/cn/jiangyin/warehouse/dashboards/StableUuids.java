package cn.jiangyin.warehouse.dashboards;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based UUIDs (RFC 4122 version 5, SHA-1) so that every build gives a database, dataset, chart
 * and dashboard the same uuid, and re-importing a bundle updates the objects in Superset instead of
 * duplicating them.
 */
final class StableUuids {
  /** The project's namespace; changing it would orphan every object already imported. */
  static final UUID NAMESPACE = UUID.fromString("6f1d0c1e-3a52-5b8e-9c41-4a0e7d2b9f10");

  private StableUuids() {}

  static UUID of(String kind, String name) {
    return v5(NAMESPACE, kind + ":" + name);
  }

  /** RFC 4122 section 4.3 with SHA-1. */
  static UUID v5(UUID namespaceId, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
    ByteBuffer namespace = ByteBuffer.allocate(16);
    namespace.putLong(namespaceId.getMostSignificantBits());
    namespace.putLong(namespaceId.getLeastSignificantBits());
    sha1.update(namespace.array());
    sha1.update(name.getBytes(StandardCharsets.UTF_8));
    byte[] hash = sha1.digest();
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bytes.getLong(), bytes.getLong());
  }
}
