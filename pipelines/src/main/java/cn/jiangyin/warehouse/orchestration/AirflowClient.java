package cn.jiangyin.warehouse.orchestration;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A thin client of Airflow 3's REST API ({@code /api/v2}), for the two things operators do from the
 * warehouse command line: trigger a DAG run and see how runs and their tasks stand. It logs in once
 * with {@code POST /auth/token} (user and password) and sends the token as a bearer token.
 *
 * <p>Request and response shapes follow Airflow's published OpenAPI documents: {@code
 * airflow-core/src/airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml}
 * (TriggerDAGRunPostBody, DAGRunResponse, DAGRunCollectionResponse, TaskInstanceCollectionResponse)
 * and {@code .../auth/managers/simple/openapi/v2-simple-auth-manager-generated.yaml} (LoginBody,
 * LoginResponse). No official Java client exists; the generated one does not compile.
 */
public final class AirflowClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String user;
  private final String password;
  private final HttpClient http;
  private String token;

  public AirflowClient(URI base, String user, String password) {
    String text = requireNonNull(base, "base is null").toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.user = requireNonNull(user, "user is null");
    this.password = requireNonNull(password, "password is null");
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** A DAG run as {@code DAGRunResponse} describes it (the fields we show). */
  public record DagRun(
      String dagId,
      String runId,
      String state,
      Optional<String> logicalDate,
      Optional<String> startDate,
      Optional<String> endDate,
      String runType) {}

  /** A task instance as {@code TaskInstanceResponse} describes it (the fields we show). */
  public record TaskInstance(
      String taskId,
      Optional<String> state,
      int tryNumber,
      Optional<Double> duration,
      Optional<String> startDate,
      Optional<String> endDate) {}

  /**
   * {@code POST /api/v2/dags/{dag_id}/dagRuns}: a run at {@code logicalDate} with {@code conf} (a
   * JSON object) for the DAG's params.
   */
  public DagRun trigger(String dagId, Instant logicalDate, Optional<ObjectNode> conf)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("logical_date", logicalDate.toString());
    conf.ifPresent(value -> body.set("conf", value));
    JsonNode run = send("POST", "/api/v2/dags/" + segment(dagId) + "/dagRuns", Optional.of(body));
    return dagRun(run);
  }

  /** {@code GET /api/v2/dags/{dag_id}/dagRuns}: the latest {@code limit} runs, newest first. */
  public List<DagRun> dagRuns(String dagId, int limit) throws IOException, InterruptedException {
    JsonNode page =
        send(
            "GET",
            "/api/v2/dags/" + segment(dagId) + "/dagRuns?limit=" + limit + "&order_by=-run_after",
            Optional.empty());
    List<DagRun> runs = new ArrayList<>();
    for (JsonNode run : required(page, "dag_runs")) {
      runs.add(dagRun(run));
    }
    return runs;
  }

  /** {@code GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}}. */
  public DagRun dagRun(String dagId, String runId) throws IOException, InterruptedException {
    return dagRun(
        send(
            "GET",
            "/api/v2/dags/" + segment(dagId) + "/dagRuns/" + segment(runId),
            Optional.empty()));
  }

  /** {@code GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances}. */
  public List<TaskInstance> taskInstances(String dagId, String runId)
      throws IOException, InterruptedException {
    JsonNode page =
        send(
            "GET",
            "/api/v2/dags/" + segment(dagId) + "/dagRuns/" + segment(runId) + "/taskInstances",
            Optional.empty());
    List<TaskInstance> tasks = new ArrayList<>();
    for (JsonNode task : required(page, "task_instances")) {
      tasks.add(
          new TaskInstance(
              required(task, "task_id").asText(),
              text(task, "state"),
              task.path("try_number").asInt(),
              task.hasNonNull("duration")
                  ? Optional.of(task.get("duration").asDouble())
                  : Optional.empty(),
              text(task, "start_date"),
              text(task, "end_date")));
    }
    return tasks;
  }

  private JsonNode send(String method, String path, Optional<JsonNode> body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + token());
    if (body.isPresent()) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body.get())));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return answer(method + " " + path, http.send(request.build(), utf8()));
  }

  private String token() throws IOException, InterruptedException {
    if (token == null) {
      ObjectNode login = JSON.createObjectNode().put("username", user).put("password", password);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/auth/token"))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(login)))
              .build();
      token =
          required(answer("POST /auth/token", http.send(request, utf8())), "access_token").asText();
    }
    return token;
  }

  private JsonNode answer(String call, HttpResponse<String> response) throws AirflowException {
    if (response.statusCode() / 100 != 2) {
      throw new AirflowException(call, response.statusCode(), detail(response.body()));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AirflowException(
          call, response.statusCode(), "answer is not JSON: " + e.getMessage());
    }
  }

  /** {@code HTTPExceptionResponse.detail} (a text or an object) or the body itself. */
  private static String detail(String body) {
    try {
      JsonNode detail = JSON.readTree(body).path("detail");
      if (!detail.isMissingNode()) {
        return detail.isTextual() ? detail.asText() : detail.toString();
      }
    } catch (IOException e) {
      // not JSON: show it as it is
    }
    return body.length() > 500 ? body.substring(0, 500) + "…" : body;
  }

  private static DagRun dagRun(JsonNode run) throws AirflowException {
    return new DagRun(
        required(run, "dag_id").asText(),
        required(run, "dag_run_id").asText(),
        required(run, "state").asText(),
        text(run, "logical_date"),
        text(run, "start_date"),
        text(run, "end_date"),
        required(run, "run_type").asText());
  }

  private static JsonNode required(JsonNode node, String field) throws AirflowException {
    if (!node.has(field)) {
      throw new AirflowException("answer", 200, "missing field '" + field + "' in " + node);
    }
    return node.get(field);
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static HttpResponse.BodyHandler<String> utf8() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  /** Airflow answered with an error, or with something its API does not describe. */
  public static final class AirflowException extends IOException {
    private final int status;

    AirflowException(String call, int status, String detail) {
      super("Airflow " + call + " failed: HTTP " + status + ": " + detail);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
