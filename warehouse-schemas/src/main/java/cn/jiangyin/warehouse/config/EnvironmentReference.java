package cn.jiangyin.warehouse.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${env:NAME}}: how every file people edit (platform configuration, source registry) refers
 * to a value kept in the environment — secrets above all, which are never written in a file.
 */
public final class EnvironmentReference {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private EnvironmentReference() {}

  /** True if {@code text} is exactly one reference, as a secret must be. */
  public static boolean isReference(String text) {
    return REFERENCE.matcher(text.strip()).matches();
  }

  /**
   * {@code text} with every reference replaced by its variable's value; an unset (or empty)
   * variable becomes the exception {@code unset} makes of its name, so each caller reports it in
   * its own terms (key, file:line).
   */
  public static String resolve(
      String text,
      Function<String, String> environment,
      Function<String, ? extends RuntimeException> unset) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String value = environment.apply(variable);
      if (value == null || value.isEmpty()) {
        throw unset.apply(variable);
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }
}
