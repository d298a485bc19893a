package cn.jiangyin.warehouse.serving.report;

/** A report that cannot be made, for a reason the user can act on (a font, a bad code). */
public class ReportException extends RuntimeException {
  public ReportException(String message) {
    super(message);
  }

  public ReportException(String message, Throwable cause) {
    super(message, cause);
  }
}
