package cn.jiangyin.warehouse.config;

/**
 * The platform configuration is wrong; the message names the key (and file:line when read from a
 * file).
 */
public final class InvalidConfigException extends IllegalArgumentException {
  private final String key;

  public InvalidConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
