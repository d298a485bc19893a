package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warehouse airflow trigger|status} against a stub of Airflow 3's HTTP API: Airflow is
 * Python and cannot be installed here, so the stub stands for it. It checks each request as the
 * published OpenAPI documents describe it and answers with responses of the documented shape:
 *
 * <ul>
 *   <li>{@code POST /auth/token} — LoginBody (required username, password; additionalProperties
 *       false) → 201 LoginResponse (access_token): {@code
 *       airflow-core/src/airflow/api_fastapi/auth/managers/simple/openapi/v2-simple-auth-manager-generated.yaml};
 *   <li>{@code /api/v2/dags/{dag_id}/dagRuns} (POST TriggerDAGRunPostBody: required logical_date,
 *       additionalProperties false; GET DAGRunCollectionResponse), {@code .../dagRuns/{dag_run_id}}
 *       (DAGRunResponse), {@code .../taskInstances} (TaskInstanceCollectionResponse), errors as
 *       HTTPExceptionResponse (detail); security HTTPBearer: {@code
 *       airflow-core/src/airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml}
 *       (apache/airflow, API version 2, as of commit 000c339d).
 * </ul>
 */
class AirflowCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "eyJ-test-token";

  /** TriggerDAGRunPostBody.properties (additionalProperties: false). */
  private static final Set<String> TRIGGER_BODY_FIELDS =
      Set.of(
          "dag_run_id",
          "data_interval_start",
          "data_interval_end",
          "logical_date",
          "run_after",
          "conf",
          "note");

  private HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private Path config;

  @BeforeEach
  void startStub(@TempDir Path directory) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    config = directory.resolve("warehouse.yaml");
    Files.writeString(
        config,
        "catalog:\n  jdbc-url: jdbc:postgresql://127.0.0.1:5432/none\n"
            + "airflow:\n  url: http://127.0.0.1:"
            + server.getAddress().getPort()
            + "/\n  user: operator\n");
  }

  @AfterEach
  void stopStub() {
    server.stop(0);
  }

  private record Run(int code, String out, String err) {}

  private Run warehouse(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> line = new ArrayList<>(List.of("--config", config.toString()));
    line.addAll(List.of(args));
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment::get,
            line.toArray(String[]::new));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> environment(String airflowPassword) {
    return Map.of(
        "WAREHOUSE_DB_PASSWORD",
        "pw",
        "PERSON_KEY_SECRET",
        "k",
        "AIRFLOW_PASSWORD",
        airflowPassword);
  }

  @Test
  void triggerLogsInThenPostsTheRunWithLogicalDateAndConf() {
    Run run =
        warehouse(
            environment("s3cret"),
            "airflow",
            "trigger",
            "jiangyin_daily",
            "--conf",
            "{\"as_of\": \"2026-11-27\"}",
            "--logical-date",
            "2026-11-28T02:30:00Z");

    assertThat(violations).isEmpty();
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("manual__2026-11-28T02:30:00+00:00\n");
    assertThat(run.err())
        .contains("jiangyin_daily: run manual__2026-11-28T02:30:00+00:00 is queued");
    assertThat(requests)
        .containsExactly(
            "POST /auth/token {\"username\":\"operator\",\"password\":\"s3cret\"}",
            "POST /api/v2/dags/jiangyin_daily/dagRuns"
                + " {\"logical_date\":\"2026-11-28T02:30:00Z\",\"conf\":{\"as_of\":\"2026-11-27\"}}");
  }

  @Test
  void statusListsRunsAndOneRunsTasksAndFailsWhenTheRunFailed() {
    Run runs = warehouse(environment("s3cret"), "airflow", "status", "jiangyin_daily");

    assertThat(violations).isEmpty();
    assertThat(runs.code()).as(runs.err()).isZero();
    assertThat(runs.out().lines().toList())
        .hasSize(3)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("scheduled__2026-11-27T18:30:00+00:00")
                    .contains("failed"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("manual__2026-11-28T02:30:00+00:00")
                    .contains("success"));

    Run one =
        warehouse(
            environment("s3cret"),
            "airflow",
            "status",
            "jiangyin_daily",
            "--run",
            "scheduled__2026-11-27T18:30:00+00:00");

    assertThat(violations).isEmpty();
    assertThat(one.code()).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(one.out())
        .containsPattern("ods +success +1 +312\\.5 s")
        .containsPattern("credit +failed +3 +20\\.0 s")
        .containsPattern("export_verdicts +upstream_failed +0 +-");
    assertThat(requests)
        .contains(
            "GET /api/v2/dags/jiangyin_daily/dagRuns?limit=10&order_by=-run_after",
            "GET /api/v2/dags/jiangyin_daily/dagRuns/scheduled__2026-11-27T18%3A30%3A00%2B00%3A00/taskInstances");
  }

  @Test
  void airflowErrorsAreShownWithTheirDetail() {
    Run wrongPassword = warehouse(environment("wrong"), "airflow", "status", "jiangyin_daily");
    assertThat(wrongPassword.code()).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(wrongPassword.err())
        .contains("Airflow POST /auth/token failed: HTTP 401: Invalid credentials");

    Run unknownDag = warehouse(environment("s3cret"), "airflow", "trigger", "no_such_dag");
    assertThat(unknownDag.code()).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(unknownDag.err()).contains("HTTP 404: DAG with dag_id: 'no_such_dag' not found");
  }

  @Test
  void passwordIsReadOnlyByAirflowCommandsAndMustBeSet() {
    Map<String, String> withoutPassword =
        Map.of("WAREHOUSE_DB_PASSWORD", "pw", "PERSON_KEY_SECRET", "k");

    // other commands load the same configuration without AIRFLOW_PASSWORD
    assertThat(warehouse(withoutPassword, "config").code()).isZero();
    Run run = warehouse(withoutPassword, "airflow", "status", "jiangyin_daily");
    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(run.err())
        .contains(
            "'airflow.password' reads environment variable AIRFLOW_PASSWORD, which is not set");
    assertThat(requests).isEmpty();
  }

  @Test
  void confMustBeAJsonObject() {
    Run run =
        warehouse(environment("s3cret"), "airflow", "trigger", "jiangyin_daily", "--conf", "[1]");

    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(run.err()).contains("Invalid --conf: must be a JSON object");
    assertThat(requests).isEmpty();
  }

  // ---- the stub of Airflow's API ----

  private void answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String query = exchange.getRequestURI().getRawQuery();
    requests.add(
        method
            + " "
            + path
            + (query == null ? "" : "?" + query)
            + (body.isEmpty() ? "" : " " + body));
    try {
      if (path.equals("/auth/token")) {
        login(exchange, method, body);
        return;
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + TOKEN).equals(authorization)) {
        violations.add(path + ": Authorization is " + authorization);
        send(exchange, 401, "{\"detail\":\"Not authenticated\"}");
        return;
      }
      if (path.startsWith("/api/v2/dags/no_such_dag/")) {
        send(exchange, 404, "{\"detail\":\"DAG with dag_id: 'no_such_dag' not found\"}");
        return;
      }
      String runs = "/api/v2/dags/jiangyin_daily/dagRuns";
      if (method.equals("POST") && path.equals(runs)) {
        trigger(exchange, body);
      } else if (method.equals("GET") && path.equals(runs)) {
        checkListQuery(exchange.getRequestURI().getRawQuery());
        send(
            exchange,
            200,
            "{\"dag_runs\":["
                + dagRun("scheduled__2026-11-27T18:30:00+00:00", "scheduled", "failed")
                + ","
                + dagRun("manual__2026-11-28T02:30:00+00:00", "manual", "success")
                + "],\"total_entries\":2}");
      } else if (method.equals("GET")
          && path.equals(runs + "/scheduled__2026-11-27T18%3A30%3A00%2B00%3A00")) {
        send(exchange, 200, dagRun("scheduled__2026-11-27T18:30:00+00:00", "scheduled", "failed"));
      } else if (method.equals("GET")
          && path.equals(runs + "/scheduled__2026-11-27T18%3A30%3A00%2B00%3A00/taskInstances")) {
        send(
            exchange,
            200,
            "{\"task_instances\":["
                + taskInstance("ods", "success", 1, "312.5")
                + ","
                + taskInstance("credit", "failed", 3, "20.0")
                + ","
                + taskInstance("export_verdicts", "upstream_failed", 0, "null")
                + "],\"total_entries\":3}");
      } else {
        violations.add("no such endpoint: " + method + " " + path);
        send(exchange, 404, "{\"detail\":\"Not Found\"}");
      }
    } catch (RuntimeException e) {
      violations.add(e.toString());
      send(exchange, 500, "{\"detail\":\"stub failed\"}");
    }
  }

  private void login(HttpExchange exchange, String method, String body) throws IOException {
    JsonNode login = JSON.readTree(body);
    if (!method.equals("POST")
        || !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      violations.add(
          "login: " + method + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
    }
    Set<String> fields = fieldNames(login);
    if (!fields.equals(Set.of("username", "password"))) {
      violations.add("LoginBody fields " + fields);
      send(
          exchange,
          422,
          "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"invalid\",\"type\":\"value_error\"}]}");
      return;
    }
    if (!login.get("password").asText().equals("s3cret")) {
      send(exchange, 401, "{\"detail\":\"Invalid credentials\"}");
      return;
    }
    send(exchange, 201, "{\"access_token\":\"" + TOKEN + "\"}");
  }

  private void trigger(HttpExchange exchange, String body) throws IOException {
    if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      violations.add(
          "trigger Content-Type " + exchange.getRequestHeaders().getFirst("Content-Type"));
    }
    JsonNode trigger = JSON.readTree(body);
    Set<String> fields = fieldNames(trigger);
    if (!TRIGGER_BODY_FIELDS.containsAll(fields) || !fields.contains("logical_date")) {
      violations.add("TriggerDAGRunPostBody fields " + fields);
      send(
          exchange,
          422,
          "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"invalid\",\"type\":\"value_error\"}]}");
      return;
    }
    OffsetDateTime logicalDate = OffsetDateTime.parse(trigger.get("logical_date").asText());
    if (trigger.has("conf") && !(trigger.get("conf") instanceof ObjectNode)) {
      violations.add("conf is not an object: " + trigger.get("conf"));
    }
    if (!logicalDate.toInstant().toString().equals("2026-11-28T02:30:00Z")) {
      violations.add("logical_date " + logicalDate);
    }
    send(exchange, 200, dagRun("manual__2026-11-28T02:30:00+00:00", "manual", "queued"));
  }

  /**
   * get_dag_runs: limit an integer >= 0; order_by one of the sortable fields, "-" for descending
   * (routes/public/dag_run.py, SortParam).
   */
  private void checkListQuery(String query) {
    Set<String> sortable =
        Set.of(
            "id",
            "state",
            "dag_id",
            "run_id",
            "logical_date",
            "run_after",
            "start_date",
            "end_date",
            "updated_at",
            "conf",
            "duration",
            "dag_run_id");
    for (String parameter : query == null ? new String[0] : query.split("&")) {
      String[] pair = parameter.split("=", 2);
      switch (pair[0]) {
        case "limit" -> {
          if (Integer.parseInt(pair[1]) < 0) {
            violations.add("limit " + pair[1]);
          }
        }
        case "order_by" -> {
          if (!sortable.contains(pair[1].replaceFirst("^-", ""))) {
            violations.add("order_by " + pair[1]);
          }
        }
        default -> violations.add("unknown query parameter " + pair[0]);
      }
    }
  }

  /** A DAGRunResponse with every required field. */
  private static String dagRun(String runId, String runType, String state) {
    boolean running = state.equals("queued");
    return "{\"dag_run_id\":\""
        + runId
        + "\",\"dag_id\":\"jiangyin_daily\",\"logical_date\":\"2026-11-27T18:30:00Z\","
        + "\"queued_at\":\"2026-11-27T18:30:01Z\","
        + (running
            ? "\"start_date\":null,\"end_date\":null,"
            : "\"start_date\":\"2026-11-27T18:30:02Z\",\"end_date\":\"2026-11-27T19:02:40Z\",")
        + "\"duration\":null,\"data_interval_start\":\"2026-11-26T18:30:00Z\","
        + "\"data_interval_end\":\"2026-11-27T18:30:00Z\",\"run_after\":\"2026-11-27T18:30:00Z\","
        + "\"last_scheduling_decision\":null,\"run_type\":\""
        + runType
        + "\",\"state\":\""
        + state
        + "\",\"triggered_by\":\"rest_api\",\"triggering_user_name\":\"operator\","
        + "\"conf\":{},\"note\":null,\"dag_versions\":[],\"bundle_version\":null,"
        + "\"dag_display_name\":\"jiangyin_daily\"}";
  }

  /** A TaskInstanceResponse with the fields the spec requires. */
  private static String taskInstance(String taskId, String state, int tryNumber, String duration) {
    return "{\"id\":\"0193a1b2-0000-7000-8000-000000000001\",\"task_id\":\""
        + taskId
        + "\",\"dag_id\":\"jiangyin_daily\",\"dag_run_id\":\"scheduled__2026-11-27T18:30:00+00:00\","
        + "\"map_index\":-1,\"logical_date\":\"2026-11-27T18:30:00Z\","
        + "\"run_after\":\"2026-11-27T18:30:00Z\",\"start_date\":null,\"end_date\":null,"
        + "\"duration\":"
        + duration
        + ",\"state\":\""
        + state
        + "\",\"try_number\":"
        + tryNumber
        + ",\"max_tries\":2,\"task_display_name\":\""
        + taskId
        + "\",\"dag_display_name\":\"jiangyin_daily\",\"hostname\":\"worker-1\","
        + "\"unixname\":\"airflow\",\"pool\":\"jiangyin_lake\",\"pool_slots\":1,"
        + "\"queue\":\"default\",\"priority_weight\":1,\"operator\":\"SparkSubmitOperator\","
        + "\"operator_name\":\"SparkSubmitOperator\",\"queued_when\":null,"
        + "\"scheduled_when\":null,\"pid\":null,\"executor\":null,\"executor_config\":\"{}\","
        + "\"note\":null,\"rendered_map_index\":null,\"rendered_fields\":{},\"trigger\":null,"
        + "\"triggerer_job\":null,\"dag_version\":null}";
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new java.util.TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
