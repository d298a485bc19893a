package cn.jiangyin.warehouse.capture;

/** Capture of a source failed or could not keep up; names the source. */
public final class CaptureException extends RuntimeException {
  private final String source;

  public CaptureException(String source, String message) {
    super(message);
    this.source = source;
  }

  public CaptureException(String source, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
  }

  public String source() {
    return source;
  }
}
