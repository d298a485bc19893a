package cn.jiangyin.warehouse.export;

/**
 * An export that cannot be made as asked, for a reason the user can act on: an unknown or
 * unreadable base export, a base snapshot the table no longer keeps, a key that is not unique, a
 * column type the files cannot carry. The message names the table, export or column.
 */
public class ExportException extends RuntimeException {
  public ExportException(String message) {
    super(message);
  }

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
