package cn.jiangyin.warehouse.serving.lookup;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.serving.lookup.PublishedVerdict.Matter;
import cn.jiangyin.warehouse.serving.lookup.PublishedVerdict.Measure;
import cn.jiangyin.warehouse.standard.CodeCheck;
import cn.jiangyin.warehouse.standard.CodeKind;
import cn.jiangyin.warehouse.standard.Codes;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * 结论查询 — answers "what is this subject's published verdict?" for a window clerk or another system,
 * from a {@link VerdictIndex}, and logs every answer to the {@link LookupAudit}.
 *
 * <p>The answers, as HTTP statuses (the command line maps them to exit codes):
 *
 * <ul>
 *   <li>200: the subject's row of {@code export.verdict}; with a matter code, only the measures
 *       whose matter types include that matter's type (or name) in {@code lib.matter}. A valid code
 *       with no published verdict that {@code lib.enterprise} or {@code lib.person} knows is {@code
 *       clear} by definition (no credit record, so no measure), said as such.
 *   <li>400: a malformed code (the standard's reason, e.g. the bad check character), an
 *       organisation code (ask for the USCC), or a matter code {@code lib.matter} does not hold.
 *   <li>404: a valid code that is known nowhere: no verdict and in neither library.
 * </ul>
 *
 * <p>An ID number is turned into its person_key before anything else and appears only masked in
 * answers and in the log.
 */
public final class VerdictLookup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<String, VerdictIndex> index;
  private final PersonKeys keys;
  private final LookupAudit audit;
  private final Clock clock;

  /**
   * @param index the index to answer a subject id from (the service keeps one for all; the command
   *     line loads one per subject)
   */
  public VerdictLookup(
      Function<String, VerdictIndex> index, PersonKeys keys, LookupAudit audit, Clock clock) {
    this.index = requireNonNull(index, "index is null");
    this.keys = requireNonNull(keys, "keys is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** One answer: the HTTP status and the JSON body. */
  public record Answer(int status, ObjectNode body) {
    public Answer {
      requireNonNull(body, "body is null");
    }

    /** The body, indented for people. */
    public String json() {
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Cannot write the answer as JSON", e);
      }
    }

    /** The body on one line, for systems. */
    public byte[] compactJson() {
      try {
        return JSON.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Cannot write the answer as JSON", e);
      }
    }
  }

  /**
   * Looks the subject up and logs the lookup.
   *
   * @param code a USCC or an ID number, as given
   * @param matterCode a matter code of {@code lib.matter} to select measures by, if any
   * @param caller who asks (the X-Caller header, the user of the command line)
   * @param channel how ({@code http}, {@code cli})
   */
  public Answer lookup(String code, Optional<String> matterCode, String caller, String channel) {
    requireNonNull(code, "code is null");
    requireNonNull(matterCode, "matterCode is null");
    String shown = ResidentIdNumber.maskIfPersonal(code);
    Answer answer = answer(code, shown, matterCode);
    audit.record(
        new LookupAudit.Entry(
            clock.instant(),
            caller,
            channel,
            shown,
            matterCode.orElse(null),
            answer.status(),
            answer.body().path(answer.status() == 200 ? "status" : "error").asText()));
    return answer;
  }

  private Answer answer(String code, String shown, Optional<String> matterCode) {
    CodeCheck check = Codes.check(code);
    if (!check.valid()) {
      return error(
          400, "invalid_code", "Invalid code " + shown + ": " + check.reason().orElseThrow());
    }
    String subjectId;
    if (check.kind() == CodeKind.USCC) {
      subjectId = code;
    } else if (check.kind() == CodeKind.ID_NUMBER) {
      subjectId = keys.key(code);
    } else {
      return error(
          400,
          "invalid_code",
          "Invalid code "
              + shown
              + ": an organisation code is not a subject identifier; give the unified social"
              + " credit code");
    }
    VerdictIndex current = index.apply(subjectId);
    Optional<Matter> matter = Optional.empty();
    if (matterCode.isPresent()) {
      matter = current.matter(matterCode.get());
      if (matter.isEmpty()) {
        return error(
            400, "unknown_matter", "Unknown matter code " + matterCode.get() + " in lib.matter");
      }
    }
    Optional<PublishedVerdict> verdict = current.verdict(subjectId);
    if (verdict.isPresent()) {
      return new Answer(200, body(shown, verdict.get(), matter));
    }
    if (current.known(subjectId)) {
      return new Answer(200, clear(shown, check.kind(), subjectId, current, matter));
    }
    return error(
        404,
        "not_found",
        "No verdict published for "
            + shown
            + ": the subject has no credit record and is in neither lib.enterprise nor"
            + " lib.person");
  }

  private static ObjectNode body(String shown, PublishedVerdict verdict, Optional<Matter> matter) {
    ObjectNode body = JSON.createObjectNode();
    body.put("subject", shown);
    body.put("subject_type", verdict.subjectType());
    body.put("subject_id", verdict.subjectId());
    body.put("subject_name", verdict.subjectName().orElse(null));
    body.put("status", verdict.status());
    body.put("grade", verdict.grade().orElse(null));
    matter.ifPresent(m -> body.set("matter", matter(m)));
    ArrayNode measures = body.putArray("measures");
    for (Measure measure : verdict.measures()) {
      if (matter.isEmpty() || measure.affects(matter.get())) {
        measures.add(measure(measure));
      }
    }
    body.set("reasons", reasons(verdict));
    body.put("rule_version", verdict.ruleVersion());
    body.put("valid_from", verdict.validFrom().toString());
    body.put("valid_to", verdict.validTo().map(LocalDate::toString).orElse(null));
    body.put("as_of", verdict.asOf().toString());
    body.put("publication_id", verdict.publicationId());
    return body;
  }

  private static ObjectNode clear(
      String shown, CodeKind kind, String subjectId, VerdictIndex index, Optional<Matter> matter) {
    ObjectNode body = JSON.createObjectNode();
    body.put("subject", shown);
    body.put("subject_type", kind == CodeKind.USCC ? "enterprise" : "person");
    body.put("subject_id", subjectId);
    body.put("status", "clear");
    body.put("basis", "no_credit_record");
    body.put("note", "无信用记录：该主体没有已发布的联合惩戒结论，依定义为无限制（clear）");
    matter.ifPresent(m -> body.set("matter", matter(m)));
    body.putArray("measures");
    body.putArray("reasons");
    body.put("as_of", index.latestAsOf().map(LocalDate::toString).orElse(null));
    return body;
  }

  private static JsonNode reasons(PublishedVerdict verdict) {
    try {
      return JSON.readTree(verdict.reasonsJson());
    } catch (JsonProcessingException e) {
      throw new LookupException(
          "Invalid reasons JSON in export.verdict for subject " + verdict.subjectId(), e);
    }
  }

  private static ObjectNode matter(Matter matter) {
    ObjectNode node = JSON.createObjectNode();
    node.put("code", matter.code());
    node.put("name", matter.name().orElse(null));
    node.put("type", matter.type().orElse(null));
    return node;
  }

  private static ObjectNode measure(Measure measure) {
    ObjectNode node = JSON.createObjectNode();
    node.put("code", measure.code());
    node.put("name", measure.name());
    node.put("legal_basis", measure.legalBasis());
    node.put("department", measure.department());
    ArrayNode types = node.putArray("matter_types");
    List.copyOf(measure.matterTypes()).forEach(types::add);
    return node;
  }

  private static Answer error(int status, String error, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", error);
    body.put("message", message);
    return new Answer(status, body);
  }
}
