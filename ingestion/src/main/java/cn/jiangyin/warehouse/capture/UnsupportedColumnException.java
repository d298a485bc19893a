package cn.jiangyin.warehouse.capture;

/** A source column whose type has no exact Iceberg counterpart; its events go to quarantine. */
public final class UnsupportedColumnException extends RuntimeException {
  public UnsupportedColumnException(String message) {
    super(message);
  }
}
