package cn.jiangyin.warehouse.credit.rule;

import cn.jiangyin.warehouse.schema.ColumnDefinition;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks a rule condition the way Spark will read it: parsed by Spark's own expression parser, and
 * every column it names must be a column of {@code credit.fact}. No subqueries: a condition looks
 * at one fact.
 */
final class FactConditions {
  static final String FACT_TABLE = "credit.fact";

  private final Set<String> columns;

  FactConditions(Set<String> columns) {
    this.columns = new TreeSet<>(columns);
  }

  static FactConditions ofRegistry() {
    return new FactConditions(
        TableRegistry.load().table(FACT_TABLE).columns().stream()
            .map(ColumnDefinition::name)
            .collect(Collectors.toSet()));
  }

  /** The problems of one condition, empty when Spark can evaluate it on a fact. */
  List<String> problems(String condition) {
    List<String> problems = new ArrayList<>();
    if (condition.isBlank()) {
      problems.add("condition is empty");
      return problems;
    }
    Expression expression;
    try {
      expression = CatalystSqlParser$.MODULE$.parseExpression(condition);
    } catch (Exception e) { // Spark's ParseException is checked in Java's eyes
      String message = String.valueOf(e.getMessage()).strip();
      problems.add(
          "condition is not valid Spark SQL: "
              + message.lines().findFirst().orElse(message).strip()
              + " in '"
              + condition
              + "'");
      return problems;
    }
    walk(expression, problems);
    return problems;
  }

  private void walk(Expression expression, List<String> problems) {
    if (expression instanceof SubqueryExpression) {
      problems.add("condition may not contain a subquery");
      return;
    }
    if (expression instanceof UnresolvedAttribute attribute) {
      List<String> parts = CollectionConverters.asJava(attribute.nameParts());
      String column = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
      if (parts.size() > 1 || !columns.contains(column)) {
        problems.add(
            "condition names column '"
                + attribute.name()
                + "', which is not a column of "
                + FACT_TABLE
                + " (columns: "
                + String.join(", ", columns)
                + ")");
      }
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      walk(child, problems);
    }
  }
}
