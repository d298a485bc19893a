package cn.jiangyin.warehouse.yaml;

import static java.util.Objects.requireNonNull;

/**
 * A file a person edits is wrong. The message reads {@code file:line: what is wrong}, the form
 * editors and CI logs link to.
 */
public final class InvalidFileException extends IllegalArgumentException {
  private final String file;
  private final int line;
  private final String problem;

  public InvalidFileException(String file, int line, String problem) {
    super(file + ":" + line + ": " + problem);
    this.file = requireNonNull(file, "file is null");
    this.line = line;
    this.problem = requireNonNull(problem, "problem is null");
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String problem() {
    return problem;
  }
}
