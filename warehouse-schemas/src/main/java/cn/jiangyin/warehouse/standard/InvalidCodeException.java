package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

/**
 * A code that does not satisfy its standard, where the caller needed a valid one (for example to
 * normalise an ID number or take the organisation code out of a USCC). The user can act on it by
 * correcting the source record.
 *
 * <p>The offending code is kept masked when it looks like a resident ID number, so the exception
 * can be logged: logs never carry ID numbers in clear.
 */
public class InvalidCodeException extends IllegalArgumentException {
  private final String code;
  private final CodeKind kind;
  private final String reason;

  InvalidCodeException(String code, CodeKind kind, String reason) {
    super(message(code, kind, reason));
    this.code = ResidentIdNumber.maskIfPersonal(code);
    this.kind = kind;
    this.reason = reason;
  }

  private static String message(String code, CodeKind kind, String reason) {
    requireNonNull(code, "code is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(reason, "reason is null");
    return "Invalid " + kind.label() + " " + ResidentIdNumber.maskIfPersonal(code) + ": " + reason;
  }

  static InvalidCodeException of(CodeCheck check) {
    return new InvalidCodeException(check.code(), check.kind(), check.reason().orElseThrow());
  }

  /** The offending code, masked if it looks like an ID number. */
  public String code() {
    return code;
  }

  /** The kind of code that was expected. */
  public CodeKind kind() {
    return kind;
  }

  /** Why the code is invalid, e.g. {@code bad check character: expected 'Q', found 'R'}. */
  public String reason() {
    return reason;
  }
}
