package cn.jiangyin.warehouse.serving.lookup;

/**
 * The lookup cannot be served: a table it reads is missing or unreadable, or the audit log cannot
 * be written. The message names the table or file.
 */
public class LookupException extends RuntimeException {
  public LookupException(String message) {
    super(message);
  }

  public LookupException(String message, Throwable cause) {
    super(message, cause);
  }
}
