package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import com.jayway.jsonpath.JsonPath;
import com.magicdistill.db.ApiTokens;
import com.magicdistill.db.TeamScope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Every operation of the OpenAPI document refuses a missing, malformed, unknown and revoked token
 * (401), and answers another team's token 404 for this team's run, artifact, model and user; never
 * 5xx.
 */
class ApiAuthMatrixTest extends ConsoleTest {
  private String teamA;
  private String runId;
  private long artifactId;
  private long modelId;
  private String username;

  @BeforeEach
  void teamAWithARun() throws Exception {
    teamA = team("owner");
    String token = token(teamA);
    MvcResult r =
        mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(
                        "/api/v1/runs")
                    .header("Authorization", bearer(token))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"preset\":\"smoke\"}"))
            .andReturn();
    runId = JsonPath.read(r.getResponse().getContentAsString(), "$.id");
    username = "u-" + teamA.substring(teamA.length() - 8);
    repositories.users().createIfAbsent(username, "x", teamA, "member");
    String key = "runs/" + runId + "/evaluate/report.json";
    ConsoleTestStack.get().store.put(key, "{\"methods\":{}}".getBytes(StandardCharsets.UTF_8));
    repositories.pipeline().artifacts().recordArtifact(runId, "evaluate", "report", key, "00", 14);
    artifactId = repositories.pipeline().artifacts().artifacts(runId).get(0).id();
    repositories
        .pipeline()
        .artifacts()
        .recordExportedModel(runId, "w2s4", "runs/" + runId + "/export/w2s4/", "00", null);
    modelId =
        new com.magicdistill.db.ModelQueries(ConsoleTestStack.get().dataSource)
            .list(TeamScope.team(teamA), 1)
            .get(0)
            .id();
  }

  /** Every (method, path) of the committed API with its parameters filled in. */
  private List<String[]> operations() throws Exception {
    String doc = mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsString();
    Map<String, Map<String, Object>> paths = JsonPath.read(doc, "$.paths");
    List<String[]> ops = new ArrayList<>();
    paths.forEach(
        (path, methods) ->
            methods.keySet().stream()
                .filter(m -> List.of("get", "post", "put", "patch", "delete").contains(m))
                .forEach(m -> ops.add(new String[] {m.toUpperCase(), fill(path)})));
    assertThat(ops).hasSizeGreaterThan(20);
    return ops;
  }

  private String fill(String path) {
    return path.replace("{runId}", runId)
        .replace("{stage}", "fine-tune")
        .replace("{name}", "loss")
        .replace("{artifactId}", Long.toString(artifactId))
        .replace("{modelId}", Long.toString(modelId))
        .replace("{fileName}", "manifest.json")
        .replace("{tokenId}", "abcdefgh")
        .replace("{username}", username)
        .replace("{webhookId}", "wh")
        .replace("{scheduleId}", "sch_0123456789abcdef")
        .replace("{deliveryId}", "00000000-0000-0000-0000-000000000000");
  }

  private MockHttpServletRequestBuilder call(String[] op, String authorization) {
    MockHttpServletRequestBuilder b =
        request(
                HttpMethod.valueOf(op[0]),
                op[1] + (op[1].endsWith("/compare") ? "?runs=" + runId + ",x" : ""))
            .contentType(MediaType.APPLICATION_JSON)
            .content(body(op));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private static String body(String[] op) {
    if (op[1].endsWith("/cancel")) {
      return "{\"reason\":\"test\"}";
    }
    if (op[1].endsWith("/tokens")) {
      return "{\"name\":\"x\",\"scopes\":[\"runs:read\"]}";
    }
    if (op[1].endsWith("/users")) {
      return "{\"username\":\"matrix-user\",\"password\":\"long-enough-1\",\"role\":\"member\"}";
    }
    if (op[1].contains("/users/")) {
      return "{\"disabled\":true}";
    }
    if (op[1].endsWith("/runs") || op[1].endsWith("/validate")) {
      return "{\"preset\":\"smoke\"}";
    }
    return "{}";
  }

  @Test
  void everyOperationRefusesABadToken() throws Exception {
    String revoked = token(teamA);
    repositories.tokens().revoke(TeamScope.team(teamA), ApiTokens.idOf(revoked).orElseThrow());
    String unknown = ApiTokens.generate().token();
    List<String> failures = new ArrayList<>();
    for (String[] op : operations()) {
      for (String auth :
          new String[] {
            null,
            "Bearer",
            "Bearer nonsense",
            "Basic YWRtaW46YWRtaW4=",
            bearer(unknown),
            bearer(revoked)
          }) {
        int s = mvc.perform(call(op, auth)).andReturn().getResponse().getStatus();
        if (s != 401) {
          failures.add(op[0] + " " + op[1] + " with " + auth + " -> " + s);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void anotherTeamSeesNothingOfThisTeam() throws Exception {
    String other = token(team("other"));
    List<String> failures = new ArrayList<>();
    for (String[] op : operations()) {
      boolean mine =
          op[1].contains(runId)
              || op[1].contains("/models/" + modelId)
              || op[1].endsWith("/users/" + username)
              || op[1].endsWith("/compare");
      MvcResult r = mvc.perform(call(op, bearer(other))).andReturn();
      int s = r.getResponse().getStatus();
      String body = r.getResponse().getContentAsString();
      if (s >= 500) {
        failures.add(op[0] + " " + op[1] + " -> " + s);
      } else if (mine && s != 404) {
        failures.add(op[0] + " " + op[1] + " -> " + s + " (want 404)");
      } else if (!mine && (body.contains(runId) || body.contains(username))) {
        failures.add(op[0] + " " + op[1] + " shows the other team's run or user");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void scopesAreEnforced() throws Exception {
    String readOnly = token(teamA, "runs:read");
    int s =
        mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(
                        "/api/v1/runs/" + runId + "/pause")
                    .header("Authorization", bearer(readOnly)))
            .andReturn()
            .getResponse()
            .getStatus();
    assertThat(s).isEqualTo(403);
    s =
        mvc.perform(get("/api/v1/models").header("Authorization", bearer(readOnly)))
            .andReturn()
            .getResponse()
            .getStatus();
    assertThat(s).isEqualTo(403);
    s =
        mvc.perform(get("/api/v1/runs/" + runId).header("Authorization", bearer(readOnly)))
            .andReturn()
            .getResponse()
            .getStatus();
    assertThat(s).isEqualTo(200);
  }
}
