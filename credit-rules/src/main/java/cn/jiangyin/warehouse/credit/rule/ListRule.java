package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * 名单规则 — a list a subject enters when one of its facts meets an entry condition: 经营异常名录 ({@link
 * Kind#ABNORMAL}, effective at once) or a dishonesty list ({@link Kind#DISHONESTY}: the party is
 * notified first and the entry takes effect after the objection period).
 *
 * @param termMonths months until the entry expires, empty for no fixed term
 * @param transfer automatic transfer to another list after a number of months without removal
 * @param notice notice template for proposed entries, with {list} {reason} {basis} {days} {fact}
 */
public record ListRule(
    String code,
    String name,
    Kind kind,
    String subjectType,
    String basis,
    Optional<Integer> termMonths,
    List<Entry> entries,
    List<String> exits,
    Optional<Transfer> transfer,
    String notice,
    String definedAt) {

  public ListRule {
    requireNonNull(code, "code is null");
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(subjectType, "subjectType is null");
    requireNonNull(basis, "basis is null");
    requireNonNull(termMonths, "termMonths is null");
    entries = List.copyOf(entries);
    exits = List.copyOf(exits);
    requireNonNull(transfer, "transfer is null");
    requireNonNull(notice, "notice is null");
    requireNonNull(definedAt, "definedAt is null");
  }

  /** What kind of list, which decides whether an entry waits for the objection period. */
  public enum Kind {
    ABNORMAL,
    DISHONESTY
  }

  /** 列入条件 — one entry condition over {@code credit.fact}. */
  public record Entry(String name, String condition, String definedAt) {
    public Entry {
      requireNonNull(name, "name is null");
      requireNonNull(condition, "condition is null");
      requireNonNull(definedAt, "definedAt is null");
    }
  }

  /** 自动转入 — entries not removed after {@code afterMonths} move to list {@code target}. */
  public record Transfer(
      String target, int afterMonths, String reason, String basis, String definedAt) {
    public Transfer {
      requireNonNull(target, "target is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(basis, "basis is null");
      requireNonNull(definedAt, "definedAt is null");
    }
  }
}
