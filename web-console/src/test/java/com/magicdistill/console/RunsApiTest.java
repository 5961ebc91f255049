package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import com.magicdistill.db.RunQueries;
import com.magicdistill.db.TeamScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

/** The runs API through HTTP: create, replay, validation, listing, detail, steering. */
class RunsApiTest extends ConsoleTest {
  private String teamId;
  private String token;

  @BeforeEach
  void newTeam() {
    teamId = team("runs");
    token = token(teamId);
  }

  private MvcResult create(String key, String body, int expect) throws Exception {
    var req =
        post("/api/v1/runs")
            .header("Authorization", bearer(token))
            .contentType(MediaType.APPLICATION_JSON)
            .content(body);
    if (key != null) {
      req.header("Idempotency-Key", key);
    }
    return mvc.perform(req).andExpect(status().is(expect)).andReturn();
  }

  @Test
  void theSameKeyAndBodyGiveTheSameRunAndAnotherBodyIsRefused() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = "{\"preset\":\"smoke\",\"overrides\":{\"distill.alphaWeak\":0.5}}";
    MvcResult first = create(key, body, 201);
    String runId = JsonPath.read(first.getResponse().getContentAsString(), "$.id");
    assertThat(first.getResponse().getHeader("Location")).isEqualTo("/api/v1/runs/" + runId);
    assertThat(JsonPath.<String>read(first.getResponse().getContentAsString(), "$.teamId"))
        .isEqualTo(teamId);
    assertThat(ConsoleTestStack.get().control.calls).contains("start " + runId);

    MvcResult again = create(key, body, 200);
    assertThat(again.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(JsonPath.<String>read(again.getResponse().getContentAsString(), "$.id"))
        .isEqualTo(runId);

    MvcResult other =
        create(key, "{\"preset\":\"smoke\",\"overrides\":{\"distill.alphaWeak\":0.75}}", 422);
    assertThat(other.getResponse().getContentAsString()).contains("idempotency-key-mismatch");
    assertThat(
            repositories
                .runs()
                .list(TeamScope.team(teamId), RunQueries.RunFilter.ANY, null, 10)
                .items())
        .hasSize(1);
  }

  @Test
  void everyInvalidFieldIsNamedAndNothingIsStored() throws Exception {
    MvcResult r =
        create(
            null,
            "{\"preset\":\"smoke\",\"overrides\":{\"distill.alphaWeak\":2.0,"
                + "\"checkpoints.keepLast\":0,\"fineTune.nope\":1}}",
            400);
    String body = r.getResponse().getContentAsString();
    assertThat(r.getResponse().getContentType()).startsWith("application/problem+json");
    assertThat(body).contains("overrides.fineTune.nope");
    // the unknown path is reported first; then the values are checked
    r =
        create(
            null,
            "{\"preset\":\"smoke\",\"overrides\":{\"distill.alphaWeak\":2.0,"
                + "\"checkpoints.keepLast\":0}}",
            400);
    body = r.getResponse().getContentAsString();
    assertThat(body)
        .contains("/problems/invalid-run-spec", "distill.alphaWeak", "checkpoints.keepLast");
    assertThat(JsonPath.<List<?>>read(body, "$.errors")).hasSize(2);
    assertThat(
            repositories
                .runs()
                .list(TeamScope.team(teamId), RunQueries.RunFilter.ANY, null, 10)
                .items())
        .isEmpty();
  }

  @Test
  void unknownJsonFieldsAreRejectedByName() throws Exception {
    MvcResult r = create(null, "{\"preset\":\"smoke\",\"colour\":\"red\"}", 400);
    assertThat(JsonPath.<String>read(r.getResponse().getContentAsString(), "$.errors[0].field"))
        .isEqualTo("colour");
    r = create(null, "{\"spec\":{\"runId\":\"abc\",\"distill\":{\"alphaWeek\":1}}}", 400);
    assertThat(r.getResponse().getContentAsString()).contains("distill.alphaWeek");
  }

  @Test
  void validateIsADryRun() throws Exception {
    mvc.perform(
            post("/api/v1/runs/validate")
                .header("Authorization", bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"smoke\",\"overrides\":{\"distill.alphaWeak\":2.0}}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.valid").value(false))
        .andExpect(jsonPath("$.problems[0].field").value("distill.alphaWeak"));
    mvc.perform(
            post("/api/v1/runs/validate")
                .header("Authorization", bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"paper\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.valid").value(true))
        .andExpect(jsonPath("$.resolvedSpec.preset").value("paper"));
    assertThat(
            repositories
                .runs()
                .list(TeamScope.team(teamId), RunQueries.RunFilter.ANY, null, 10)
                .items())
        .isEmpty();
  }

  @Test
  void detailHasAWeakETagAndSteeringFollowsTheStatus() throws Exception {
    String runId =
        JsonPath.read(
            create(null, "{\"preset\":\"smoke\"}", 201).getResponse().getContentAsString(), "$.id");
    MvcResult got =
        mvc.perform(get("/api/v1/runs/" + runId).header("Authorization", bearer(token)))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.stages.length()").value(5))
            .andExpect(jsonPath("$.spec.preset").value("smoke"))
            .andReturn();
    String etag = got.getResponse().getHeader("ETag");
    assertThat(etag).startsWith("W/\"");
    mvc.perform(
            get("/api/v1/runs/" + runId)
                .header("Authorization", bearer(token))
                .header("If-None-Match", etag))
        .andExpect(status().isNotModified());

    mvc.perform(post("/api/v1/runs/" + runId + "/pause").header("Authorization", bearer(token)))
        .andExpect(status().isAccepted());
    assertThat(ConsoleTestStack.get().control.calls).contains("pause " + runId);
    mvc.perform(
            post("/api/v1/runs/" + runId + "/cancel")
                .header("Authorization", bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\":\"\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("reason"));
    repositories
        .pipeline()
        .runs()
        .updateRunStatus(runId, com.magicdistill.workflows.RunStatus.SUCCEEDED, null);
    mvc.perform(post("/api/v1/runs/" + runId + "/resume").header("Authorization", bearer(token)))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value("/problems/run-not-active"));

    MvcResult rerun =
        mvc.perform(
                post("/api/v1/runs/" + runId + "/rerun")
                    .header("Authorization", bearer(token))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"fromStage\":\"w2s\"}"))
            .andExpect(status().isCreated())
            .andExpect(jsonPath("$.reusedFromRun").value(runId))
            .andExpect(jsonPath("$.reuseFromStage").value("w2s"))
            .andReturn();
    assertThat(JsonPath.<String>read(rerun.getResponse().getContentAsString(), "$.id"))
        .isNotEqualTo(runId);
  }

  @Test
  void pagesStayStableWhileRunsAreAdded() throws Exception {
    Set<String> original = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      original.add(insertRun());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      MvcResult page =
          mvc.perform(
                  get("/api/v1/runs")
                      .param("limit", "10")
                      .param("cursor", cursor == null ? "" : cursor)
                      .header("Authorization", bearer(token)))
              .andExpect(status().isOk())
              .andReturn();
      String json = page.getResponse().getContentAsString();
      seen.addAll(JsonPath.read(json, "$.items[*].id"));
      cursor = JsonPath.read(json, "$.nextCursor");
      insertRun(); // newer than every page: must not show up in later pages
      insertRun();
    } while (cursor != null);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(original);

    mvc.perform(
            get("/api/v1/runs")
                .param("status", "RUNNING,BOGUS")
                .param("limit", "0")
                .header("Authorization", bearer(token)))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[*].field", Matchers.containsInAnyOrder("status", "limit")));
    mvc.perform(get("/api/v1/runs").param("q", "zz-no-such").header("Authorization", bearer(token)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items.length()").value(0))
        .andExpect(header().doesNotExist("Link"));
  }

  @Test
  void artifactsDownloadWithRangesAndPackagesPointToModels() throws Exception {
    String runId = insertRun();
    String key = "runs/" + runId + "/evaluate/samples/clip-00.mp4";
    byte[] clip = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ConsoleTestStack.get().store.put(key, clip);
    var artifacts = repositories.pipeline().artifacts();
    artifacts.recordArtifact(runId, "evaluate", "samples", key, "00", clip.length);
    artifacts.recordArtifact(runId, "export", "model", "runs/" + runId + "/export/w2s4", "00", 99);
    String list =
        mvc.perform(
                get("/api/v1/runs/" + runId + "/artifacts").header("Authorization", bearer(token)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String clipUrl = JsonPath.<List<String>>read(list, "$[?(@.kind=='samples')].contentUrl").get(0);
    String modelUrl = JsonPath.<List<String>>read(list, "$[?(@.kind=='model')].contentUrl").get(0);
    mvc.perform(get(clipUrl).header("Authorization", bearer(token)).header("Range", "bytes=2-5"))
        .andExpect(status().isPartialContent())
        .andExpect(header().string("Content-Type", "video/mp4"))
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                .string("2345"));
    mvc.perform(get(modelUrl).header("Authorization", bearer(token)))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail", Matchers.containsString("/api/v1/models")));
  }

  private String insertRun() throws Exception {
    MvcResult r = create(null, "{\"preset\":\"smoke\"}", 201);
    return JsonPath.read(r.getResponse().getContentAsString(), "$.id");
  }
}
