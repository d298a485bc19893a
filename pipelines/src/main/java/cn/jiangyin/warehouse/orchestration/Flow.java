package cn.jiangyin.warehouse.orchestration;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 调度流程 — the one definition of the scheduled flow after capture ({@code flow/flow.yaml}): its
 * steps, their dependencies, schedules, retries and time limits, and the {@code warehouse} command
 * line each runs. {@code warehouse run} and the generated Airflow DAG both come from here. Steps
 * are kept in a dependency order (every step after the steps it depends on); a definition with an
 * unknown dependency or a cycle is rejected with {@code file:line}.
 */
public record Flow(
    String name,
    Map<String, String> parameters,
    Map<String, Schedule> schedules,
    AirflowSettings airflow,
    List<Step> steps) {
  public static final String RESOURCE = "flow/flow.yaml";

  /** The built-in parameter: the run's date, yyyy-MM-dd. */
  public static final String AS_OF = "as_of";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

  public Flow {
    requireNonNull(name, "name is null");
    // in file order: the order of the DAGs and of messages does not change from run to run
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
    requireNonNull(airflow, "airflow is null");
    steps = List.copyOf(steps);
  }

  /** How a step runs. */
  public enum Runner {
    /** A Spark job: spark-submit of the job jar (SparkSubmitOperator in Airflow). */
    SPARK,
    /** A plain command of the warehouse launcher (BashOperator in Airflow). */
    CLI
  }

  /** When a set of steps runs: a cron expression and the time the whole run should take. */
  public record Schedule(String name, String description, String cron, Duration sla) {
    public Schedule {
      requireNonNull(name, "name is null");
      requireNonNull(description, "description is null");
      requireNonNull(cron, "cron is null");
      requireNonNull(sla, "sla is null");
    }
  }

  /** Where the DAG finds the job jar, the launcher and the platform configuration. */
  public record AirflowSettings(
      String jobJar,
      String mainClass,
      String sparkConnId,
      String launcher,
      String config,
      String pool,
      LocalDate startDate,
      String timezone) {
    public AirflowSettings {
      requireNonNull(jobJar, "jobJar is null");
      requireNonNull(mainClass, "mainClass is null");
      requireNonNull(sparkConnId, "sparkConnId is null");
      requireNonNull(launcher, "launcher is null");
      requireNonNull(config, "config is null");
      requireNonNull(pool, "pool is null");
      requireNonNull(startDate, "startDate is null");
      requireNonNull(timezone, "timezone is null");
    }
  }

  /** One step: a {@code warehouse} command line with its dependencies and retry policy. */
  public record Step(
      String id,
      String description,
      Runner runner,
      List<String> command,
      List<String> dependsOn,
      Set<String> schedules,
      int retries,
      Duration retryDelay,
      Duration timeout) {
    public Step {
      requireNonNull(id, "id is null");
      requireNonNull(description, "description is null");
      requireNonNull(runner, "runner is null");
      command = List.copyOf(command);
      dependsOn = List.copyOf(dependsOn);
      schedules = Set.copyOf(schedules);
      requireNonNull(retryDelay, "retryDelay is null");
      requireNonNull(timeout, "timeout is null");
    }

    /** The command line with {@code ${name}} replaced by {@code values} (a missing one throws). */
    public List<String> commandLine(Map<String, String> values) {
      List<String> line = new ArrayList<>();
      for (String argument : command) {
        Matcher matcher = PLACEHOLDER.matcher(argument);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
          String value = values.get(matcher.group(1));
          if (value == null) {
            throw new IllegalArgumentException(
                "Cannot resolve ${" + matcher.group(1) + "} in step " + id);
          }
          matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        line.add(resolved.toString());
      }
      return line;
    }
  }

  /** The flow shipped with the warehouse. */
  public static Flow load() {
    try (InputStream in = Flow.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find " + RESOURCE + " on the classpath");
      }
      return parse(RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /** Reads a flow definition; every problem names {@code file:line}. */
  public static Flow parse(String file, String text) {
    Entry root = YamlDocument.parse(file, text).root();
    Map<String, Entry> top =
        root.mapping(Set.of("name", "parameters", "schedules", "airflow", "steps"));
    String name = YamlDocument.required(root, top, "name").text();
    Map<String, String> parameters = new LinkedHashMap<>();
    YamlDocument.optional(top, "parameters")
        .ifPresent(
            entries ->
                entries
                    .mapping()
                    .forEach(
                        (key, value) -> {
                          if (!NAME.matcher(key).matches() || key.equals(AS_OF)) {
                            throw value.invalid("Invalid parameter name '%s'", key);
                          }
                          parameters.put(key, value.text());
                        }));
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    Entry schedulesEntry = YamlDocument.required(root, top, "schedules");
    for (Map.Entry<String, Entry> entry : schedulesEntry.mapping().entrySet()) {
      Map<String, Entry> fields = entry.getValue().mapping(Set.of("description", "cron", "sla"));
      String cron = YamlDocument.required(entry.getValue(), fields, "cron").text();
      if (cron.trim().split("\\s+").length != 5) {
        throw fields.get("cron").invalid("Invalid cron '%s': expected 5 fields", cron);
      }
      schedules.put(
          entry.getKey(),
          new Schedule(
              checkName(entry.getKey(), entry.getValue()),
              YamlDocument.required(entry.getValue(), fields, "description").text(),
              cron,
              duration(YamlDocument.required(entry.getValue(), fields, "sla"))));
    }
    AirflowSettings airflow = airflow(root, YamlDocument.required(root, top, "airflow"));
    Entry stepsEntry = YamlDocument.required(root, top, "steps");
    Map<String, Step> steps = new LinkedHashMap<>();
    Map<String, Entry> stepEntries = stepsEntry.mapping();
    for (Map.Entry<String, Entry> entry : stepEntries.entrySet()) {
      steps.put(
          entry.getKey(), step(entry.getKey(), entry.getValue(), schedules.keySet(), parameters));
    }
    List<Step> ordered = dependencyOrder(steps, stepEntries);
    return new Flow(name, parameters, schedules, airflow, ordered);
  }

  /** The steps of one schedule in dependency order; {@code all}: every step. */
  public List<Step> steps(String schedule) {
    if (schedule.equals("all")) {
      return steps;
    }
    if (!schedules.containsKey(schedule)) {
      throw new IllegalArgumentException(
          "Invalid schedule '"
              + schedule
              + "' (schedules: all, "
              + String.join(", ", schedules.keySet())
              + ")");
    }
    return steps.stream().filter(step -> step.schedules().contains(schedule)).toList();
  }

  private static Step step(
      String id, Entry entry, Set<String> scheduleNames, Map<String, String> parameters) {
    checkName(id, entry);
    Map<String, Entry> fields =
        entry.mapping(
            Set.of(
                "description",
                "runs",
                "command",
                "depends-on",
                "schedules",
                "retries",
                "retry-delay",
                "timeout"));
    Entry runs = YamlDocument.required(entry, fields, "runs");
    Runner runner =
        switch (runs.text()) {
          case "spark" -> Runner.SPARK;
          case "cli" -> Runner.CLI;
          default -> throw runs.invalid("Invalid runs '%s': spark or cli", runs.text());
        };
    List<String> command = new ArrayList<>();
    Entry commandEntry = YamlDocument.required(entry, fields, "command");
    for (Entry argument : commandEntry.sequence()) {
      Matcher matcher = PLACEHOLDER.matcher(argument.text());
      while (matcher.find()) {
        if (!matcher.group(1).equals(AS_OF) && !parameters.containsKey(matcher.group(1))) {
          throw argument.invalid(
              "Invalid placeholder ${%s}: not as_of and not in parameters", matcher.group(1));
        }
      }
      command.add(argument.text());
    }
    if (command.isEmpty()) {
      throw commandEntry.invalid("Invalid command of step %s: empty", id);
    }
    List<String> dependsOn = new ArrayList<>();
    YamlDocument.optional(fields, "depends-on")
        .ifPresent(list -> list.sequence().forEach(item -> dependsOn.add(item.text())));
    Set<String> schedules = new LinkedHashSet<>();
    for (Entry schedule : YamlDocument.required(entry, fields, "schedules").sequence()) {
      if (!scheduleNames.contains(schedule.text())) {
        throw schedule.invalid(
            "Invalid schedule '%s' (schedules: %s)",
            schedule.text(), String.join(", ", scheduleNames));
      }
      schedules.add(schedule.text());
    }
    Entry retries = YamlDocument.required(entry, fields, "retries");
    if (retries.integer() < 0) {
      throw retries.invalid("Invalid retries %d: must be 0 or more", retries.integer());
    }
    return new Step(
        id,
        YamlDocument.required(entry, fields, "description").text(),
        runner,
        command,
        dependsOn,
        schedules,
        retries.integer(),
        duration(YamlDocument.required(entry, fields, "retry-delay")),
        duration(YamlDocument.required(entry, fields, "timeout")));
  }

  /**
   * Depth-first order that keeps the file's order where dependencies allow; rejects unknown
   * dependencies, a step depending on one of another schedule it runs without, and cycles.
   */
  private static List<Step> dependencyOrder(Map<String, Step> steps, Map<String, Entry> entries) {
    for (Step step : steps.values()) {
      for (String dependency : step.dependsOn()) {
        Step upstream = steps.get(dependency);
        if (upstream == null) {
          throw dependencyEntry(entries, step.id(), dependency)
              .invalid("Invalid dependency of step %s: no step '%s'", step.id(), dependency);
        }
        if (!upstream.schedules().containsAll(step.schedules())) {
          throw dependencyEntry(entries, step.id(), dependency)
              .invalid(
                  "Invalid dependency of step %s: %s does not run on every schedule %s runs on",
                  step.id(), dependency, step.id());
        }
      }
    }
    List<Step> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    for (Step step : steps.values()) {
      visit(step, steps, entries, done, new LinkedHashSet<>(), ordered);
    }
    return ordered;
  }

  /** The list item naming {@code dependency} in a step's depends-on, for the line number. */
  private static Entry dependencyEntry(Map<String, Entry> entries, String step, String dependency) {
    Entry list = entries.get(step).mapping().get("depends-on");
    return list.sequence().stream()
        .filter(item -> item.text().equals(dependency))
        .findFirst()
        .orElse(list);
  }

  private static void visit(
      Step step,
      Map<String, Step> steps,
      Map<String, Entry> entries,
      Set<String> done,
      Set<String> path,
      List<Step> ordered) {
    if (done.contains(step.id())) {
      return;
    }
    if (!path.add(step.id())) {
      throw entries
          .get(step.id())
          .invalid("Invalid dependencies: cycle %s -> %s", String.join(" -> ", path), step.id());
    }
    for (String dependency : step.dependsOn()) {
      visit(steps.get(dependency), steps, entries, done, path, ordered);
    }
    path.remove(step.id());
    done.add(step.id());
    ordered.add(step);
  }

  private static AirflowSettings airflow(Entry root, Entry entry) {
    Map<String, Entry> fields =
        entry.mapping(
            Set.of(
                "job-jar",
                "main-class",
                "spark-conn-id",
                "launcher",
                "config",
                "pool",
                "start-date",
                "timezone"));
    Entry startDate = YamlDocument.required(entry, fields, "start-date");
    LocalDate start;
    try {
      start = LocalDate.parse(startDate.text());
    } catch (java.time.format.DateTimeParseException e) {
      throw startDate.invalid("Invalid start-date '%s': yyyy-MM-dd", startDate.text());
    }
    return new AirflowSettings(
        YamlDocument.required(entry, fields, "job-jar").text(),
        YamlDocument.required(entry, fields, "main-class").text(),
        YamlDocument.required(entry, fields, "spark-conn-id").text(),
        YamlDocument.required(entry, fields, "launcher").text(),
        YamlDocument.required(entry, fields, "config").text(),
        YamlDocument.required(entry, fields, "pool").text(),
        start,
        YamlDocument.required(entry, fields, "timezone").text());
  }

  private static String checkName(String name, Entry entry) {
    if (!NAME.matcher(name).matches()) {
      throw entry.invalid("Invalid name '%s': lower-case letters, digits and _", name);
    }
    return name;
  }

  /** {@code 90s}, {@code 5m}, {@code 4h}, {@code 1d}. */
  private static Duration duration(Entry entry) {
    Matcher matcher = DURATION.matcher(entry.text().trim());
    if (!matcher.matches()) {
      throw entry.invalid(
          "Invalid duration '%s': a number and s, m, h or d (e.g. 5m)", entry.text());
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
