package cn.jiangyin.warehouse.credit.rule;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule set has problems, every one of them as {@code file:line: what is wrong}. A rule set that
 * throws this is never used.
 */
public final class InvalidRuleSetException extends IllegalArgumentException {
  private final List<InvalidFileException> problems;

  public InvalidRuleSetException(String location, List<InvalidFileException> problems) {
    super(
        "Invalid rule set "
            + location
            + " ("
            + problems.size()
            + " problems):\n"
            + problems.stream().map(Exception::getMessage).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<InvalidFileException> problems() {
    return problems;
  }
}
