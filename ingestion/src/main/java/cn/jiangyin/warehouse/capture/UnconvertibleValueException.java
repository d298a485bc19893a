package cn.jiangyin.warehouse.capture;

/**
 * A source value its raw column cannot hold exactly (a {@code tinyint(1)} holding 2, a MySQL time
 * beyond a day, a value after an incompatible type change): its change goes to quarantine.
 */
public final class UnconvertibleValueException extends RuntimeException {
  public UnconvertibleValueException(String message) {
    super(message);
  }
}
