package cn.jiangyin.warehouse.dashboards;

import static java.util.Objects.requireNonNull;

/**
 * One reason Superset would reject (or half-import) a bundle: the file inside the ZIP, the key
 * within it (dotted, e.g. {@code columns.0.type}; empty for the file as a whole) and the message,
 * worded as Superset's import words it where Superset has a message.
 */
public record BundleProblem(String file, String key, String message) {
  public BundleProblem {
    requireNonNull(file, "file is null");
    requireNonNull(key, "key is null");
    requireNonNull(message, "message is null");
  }

  @Override
  public String toString() {
    return key.isEmpty() ? file + ": " + message : file + ": " + key + ": " + message;
  }
}
