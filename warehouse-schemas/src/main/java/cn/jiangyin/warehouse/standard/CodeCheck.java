package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of checking one code against its standard: valid, or invalid with one short, specific
 * reason (the first rule the code breaks).
 *
 * <p>{@link #code()} is the input exactly as given. {@link #line()} and {@link #toString()} mask
 * anything shaped like a resident ID number, so a check result may be logged safely.
 */
public record CodeCheck(String code, CodeKind kind, Optional<String> reason) {
  public CodeCheck {
    requireNonNull(code, "code is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(reason, "reason is null");
    if (reason.isPresent() && reason.get().isBlank()) {
      throw new IllegalArgumentException("Invalid reason for " + kind.label() + ": blank");
    }
    if (reason.isEmpty() && kind == CodeKind.UNRECOGNISED) {
      throw new IllegalArgumentException("Cannot accept an unrecognised code as valid");
    }
  }

  static CodeCheck accepted(String code, CodeKind kind) {
    return new CodeCheck(code, kind, Optional.empty());
  }

  static CodeCheck rejected(String code, CodeKind kind, String reason) {
    return new CodeCheck(code, kind, Optional.of(reason));
  }

  /** Whether the code satisfies its standard. */
  public boolean valid() {
    return reason.isEmpty();
  }

  /**
   * One line for reports: {@code "<code> valid <kind>"} or {@code "<code> invalid <reason>"}, with
   * ID-number-shaped codes masked.
   */
  public String line() {
    String shown = ResidentIdNumber.maskIfPersonal(code);
    return reason.map(why -> shown + " invalid " + why).orElse(shown + " valid " + kind.label());
  }

  @Override
  public String toString() {
    return line();
  }
}
