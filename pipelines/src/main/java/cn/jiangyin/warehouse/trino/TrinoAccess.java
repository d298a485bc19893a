package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may see what through Trino (访问控制): Trino's file-based system access control with the rules in
 * {@code trino/rules.json} (a resource, reviewed as data), and a file group provider that puts
 * users into the roles the rules name.
 *
 * <p>The roles (groups in Trino's terms):
 *
 * <ul>
 *   <li>{@link Role#ANALYST} 分析人员: the analyst and dashboard views, the libraries, ods/raw, credit,
 *       data quality and the catalogue, never {@code restricted}; ID-number-shaped values are
 *       masked to {@code 320281********123X} and natural persons' names to their first character
 *       plus {@code **}.
 *   <li>{@link Role#CREDIT_OFFICE} 信用办: everything the analyst reads, unmasked, plus {@code
 *       restricted.person_identity}.
 *   <li>{@link Role#EXPORT_READER} 共享交换: the {@code export} schema only.
 *   <li>{@link Role#DASHBOARD} 大屏: the {@code analyst} views and the dashboards' dataset views
 *       ({@code dashboard} schema, {@link TrinoViews#dashboardDefinitions}), nothing else.
 * </ul>
 *
 * The user {@value #ADMIN_USER} owns every schema and view: it creates the analyst views (which run
 * with its rights, {@code SECURITY DEFINER}, so a dashboard needs no right on the tables under
 * them). A rule matching no one denies: a user in no role sees nothing in {@code iceberg}.
 *
 * <p>Authentication is the deployment's: the local server has none (the JDBC client names the user,
 * acceptable on 127.0.0.1 only), a production coordinator authenticates by password over HTTPS
 * ({@link TrinoConfiguration#writeProduction}).
 */
public final class TrinoAccess {
  /** The user that creates schemas and views and that the rules let do anything. */
  public static final String ADMIN_USER = "warehouse";

  /** The rules resource on the class path. */
  public static final String RULES_RESOURCE = "trino/rules.json";

  /** How often a running server re-reads the rules file. */
  public static final String REFRESH_PERIOD_DEFAULT = "60s";

  /** A role of the access rules: a Trino group of the same name. */
  public enum Role {
    ANALYST,
    CREDIT_OFFICE,
    EXPORT_READER,
    DASHBOARD;

    /** The group name in the rules and the group file, e.g. {@code credit_office}. */
    public String group() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private TrinoAccess() {}

  /** The rules file's text, as checked in. */
  public static String rules() {
    try (InputStream in = TrinoAccess.class.getClassLoader().getResourceAsStream(RULES_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find " + RULES_RESOURCE + " on the class path");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RULES_RESOURCE, e);
    }
  }

  /** {@code etc/access-control.properties}: file-based rules, re-read every minute. */
  public static Map<String, String> accessControlProperties(Path rulesFile) {
    requireNonNull(rulesFile, "rulesFile is null");
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("access-control.name", "file");
    properties.put("security.config-file", rulesFile.toString());
    properties.put("security.refresh-period", REFRESH_PERIOD_DEFAULT);
    return properties;
  }

  /** {@code etc/group-provider.properties}: groups from a file of {@code group:user,user} lines. */
  public static Map<String, String> groupProviderProperties(Path groupFile) {
    requireNonNull(groupFile, "groupFile is null");
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("group-provider.name", "file");
    properties.put("file.group-file", groupFile.toString());
    properties.put("file.refresh-period", "5s");
    return properties;
  }

  /**
   * The group file of a development server: one user per role, named as the role ({@code analyst}
   * is in {@code analyst}, …). Production lists its real accounts instead (or maps LDAP groups).
   */
  public static List<String> developmentGroups() {
    List<String> lines = new ArrayList<>();
    for (Role role : Role.values()) {
      lines.add(role.group() + ":" + role.group());
    }
    return lines;
  }
}
