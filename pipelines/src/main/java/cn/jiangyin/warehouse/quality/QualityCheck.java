package cn.jiangyin.warehouse.quality;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.standard.CodeKind;
import java.util.List;

/**
 * One declared data-quality check (数据质量检查) on one table, as written in {@code quality/checks.yaml}:
 * what rule, on which columns, and whether a failure stops the build.
 *
 * @param table the checked table, {@code namespace.name}
 * @param key the columns shown as samples of failing rows
 * @param definedAt {@code file:line} of the check, for messages about it
 */
public record QualityCheck(
    String table, String name, Rule rule, boolean blocking, List<String> key, String definedAt) {
  public QualityCheck {
    requireNonNull(table, "table is null");
    requireNonNull(name, "name is null");
    requireNonNull(rule, "rule is null");
    key = List.copyOf(key);
    requireNonNull(definedAt, "definedAt is null");
  }

  /** The kind label written to {@code dq.results}, e.g. {@code valid_code}. */
  public String kind() {
    return rule.kind();
  }

  /** What a check verifies. */
  public sealed interface Rule {
    String kind();

    /** The columns of the checked table the rule reads. */
    List<String> columns();
  }

  /** The column holds a code valid under its standard (GB 32100, GB 11643, GB 11714). */
  public record ValidCode(String column, CodeKind code) implements Rule {
    public ValidCode {
      requireNonNull(column, "column is null");
      requireNonNull(code, "code is null");
    }

    @Override
    public String kind() {
      return "valid_code";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /** None of the columns is null. */
  public record NotNull(List<String> columns) implements Rule {
    public NotNull {
      columns = List.copyOf(columns);
    }

    @Override
    public String kind() {
      return "not_null";
    }
  }

  /** No two rows share the values of the columns (rows with a null among them are not checked). */
  public record Unique(List<String> columns) implements Rule {
    public Unique {
      columns = List.copyOf(columns);
    }

    @Override
    public String kind() {
      return "unique";
    }
  }

  /** Every non-null value of the column exists in {@code targetTable.targetColumn}. */
  public record Reference(String column, String targetTable, String targetColumn) implements Rule {
    public Reference {
      requireNonNull(column, "column is null");
      requireNonNull(targetTable, "targetTable is null");
      requireNonNull(targetColumn, "targetColumn is null");
    }

    @Override
    public String kind() {
      return "reference";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /** The newest value of a timestamp column is at most {@code maxAgeHours} old. */
  public record Freshness(String column, int maxAgeHours) implements Rule {
    public Freshness {
      requireNonNull(column, "column is null");
      if (maxAgeHours <= 0) {
        throw new IllegalArgumentException("Invalid max age " + maxAgeHours + ": must be positive");
      }
    }

    @Override
    public String kind() {
      return "freshness";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }
}
