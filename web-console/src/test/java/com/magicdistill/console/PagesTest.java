package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.xpath;

import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.pages.RunDetailPagesController;
import com.magicdistill.console.pages.SpecForm;
import com.magicdistill.console.pages.SpecJson;
import com.magicdistill.console.runs.PresetCatalog;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The console pages through MockMvc on the shared test stack: team scoping, forms, tabs. */
class PagesTest extends ConsoleTest {
  static final ConsoleUser ALICE = new ConsoleUser("alice", "x", true, "pages-a", "team_admin");
  static final ConsoleUser BOB = new ConsoleUser("bob", "x", true, "pages-b", "member");
  static final String DONE = "pg-done";
  static final String OTHER = "pg-other";
  static final String TEAM_B = "pg-team-b";

  @Autowired MockMvc mvc;
  @Autowired PresetCatalog presets;
  @Autowired RunDetailPagesController pages;

  @BeforeAll
  static void seed() throws Exception {
    ConsoleTestStack stack = ConsoleTestStack.get();
    JdbcClient jdbc = JdbcClient.create(stack.dataSource);
    for (String team : new String[] {"pages-a", "pages-b"}) {
      jdbc.sql("insert into teams (id, name) values (?, ?) on conflict do nothing")
          .params(team, team)
          .update();
    }
    PresetCatalog p = new PresetCatalog();
    insertRun(jdbc, DONE, "pages-a", "SUCCEEDED", p.spec("smoke", DONE));
    RunSpec other = p.spec("smoke", OTHER);
    other =
        new RunSpec(
            other.runId(),
            "other",
            other.preset(),
            other.data(),
            other.baseModel(),
            other.fineTune(),
            new RunSpec.DistillSpec(6, 6, 5, 2, 2e-5f, 1e-4f, 8, 0.5f, 1f, false, false),
            other.export(),
            other.evaluate(),
            other.checkpoints(),
            other.taskQueues(),
            other.defaultQueue(),
            other.heartbeatSeconds(),
            null,
            null,
            other.retries());
    insertRun(jdbc, OTHER, "pages-a", "RUNNING", other);
    insertRun(jdbc, TEAM_B, "pages-b", "SUCCEEDED", p.spec("smoke", TEAM_B));
    for (int step = 1; step <= 1200; step++) {
      jdbc.sql(
              "insert into metrics (run_id, stage, step, name, value) values (?, 'w2s', ?, 'generator.loss', ?)")
          .params(DONE, step, 1.0 / step)
          .update();
    }
    jdbc.sql(
            "insert into metrics (run_id, stage, step, name, value) values (?, 'w2s', 1, 'generator.loss', 2), (?, 'w2s', 2, 'generator.loss', 1)")
        .params(OTHER, OTHER)
        .update();
    String report =
        "{\"methods\":{\"exported_w2s4\":{\"fd_clip\":3.5,\"fd_frame\":2.0,\"vbench\":{\"avg\":0.8},\"model_calls\":4,\"wall_ms_per_clip\":12.0},"
            + "\"teacher_euler28\":{\"fd_clip\":2.5,\"fd_frame\":2.5,\"vbench\":{\"avg\":0.7},\"model_calls\":28,\"wall_ms_per_clip\":80.0}}}";
    stack.store.put(
        "runs/" + DONE + "/evaluate/report.json", report.getBytes(StandardCharsets.UTF_8));
    byte[] mp4 = {0, 0, 0, 8, 'f', 't', 'y', 'p'};
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    String samples = "runs/" + DONE + "/evaluate/samples/";
    stack.store.put(samples + "exported_w2s4/clip-00.mp4", mp4);
    stack.store.put(
        samples + "exported_w2s4/clip-00.gif", "GIF89a".getBytes(StandardCharsets.UTF_8));
    stack.store.put(samples + "teacher_euler28/clip-00.mp4", mp4);
    stack.store.put(samples + "first-00.png", png);
    stack.store.put(samples + "contact.png", png);
    stack.store.put(
        "runs/" + DONE + "/export/w2s4/SHA256SUMS",
        "abc123  config.json\n".getBytes(StandardCharsets.UTF_8));
    stack.store.put(
        "runs/" + DONE + "/export/w2s4/config.json", "{}".getBytes(StandardCharsets.UTF_8));
    stack.store.put("runs/secret.txt", "secret".getBytes(StandardCharsets.UTF_8));
    jdbc.sql(
            "insert into exported_models (run_id, name, object_prefix, manifest_sha256) values (?, 'w2s4', ?, 'feed')")
        .params(DONE, "runs/" + DONE + "/export/w2s4")
        .update();
  }

  static void insertRun(JdbcClient jdbc, String id, String team, String status, RunSpec spec) {
    String json = SpecJson.write(spec);
    jdbc.sql(
            "insert into runs (id, name, spec, spec_sha256, preset, status, team_id, created_by) values (?, ?, ?::jsonb, ?, 'smoke', ?, ?, 'seed')")
        .params(id, spec.name(), json, SpecJson.sha256(json), status, team)
        .update();
    for (PipelineStage s : PipelineStage.values()) {
      jdbc.sql("insert into stages (run_id, stage, ordinal, status) values (?, ?, ?, ?)")
          .params(
              id,
              s.slug(),
              s.ordinal(),
              status.equals("SUCCEEDED") ? "SUCCEEDED" : s.ordinal() == 0 ? "RUNNING" : "PENDING")
          .update();
    }
  }

  /** The out-of-band error slot of a field holding exactly {@code text} (a regex). */
  static org.hamcrest.Matcher<String> slot(String id, String text) {
    return Matchers.matchesPattern(
        "(?s).*<span[^>]*id=\"err-" + id + "\"[^>]*hx-swap-oob[^>]*>" + text + "</span>.*");
  }

  static MockHttpServletRequestBuilder as(ConsoleUser u, MockHttpServletRequestBuilder b) {
    return b.with(user(u));
  }

  @Test
  void theRunsListFiltersWithinTheTeam() throws Exception {
    mvc.perform(as(ALICE, get("/runs")))
        .andExpect(status().isOk())
        .andExpect(xpath("//tr[@data-run-id='" + DONE + "']").exists())
        .andExpect(xpath("//tr[@data-run-id='" + TEAM_B + "']").doesNotExist())
        .andExpect(
            xpath("//tbody[@sse-connect]/@sse-connect").string(Matchers.containsString(OTHER)));
    mvc.perform(as(ALICE, get("/runs").param("status", "RUNNING")))
        .andExpect(xpath("//tr[@data-run-id='" + OTHER + "']").exists())
        .andExpect(xpath("//tr[@data-run-id='" + DONE + "']").doesNotExist());
    mvc.perform(as(ALICE, get("/runs").param("q", "pg-d")))
        .andExpect(xpath("//tr[@data-run-id='" + DONE + "']").exists())
        .andExpect(xpath("//tr[@data-run-id='" + OTHER + "']").doesNotExist());
    mvc.perform(as(ALICE, get("/runs").param("from", "not-a-date").param("cursor", "%%%")))
        .andExpect(status().isOk())
        .andExpect(content().string(Matchers.containsString("from is not a date")));
  }

  @Test
  void theLaunchFormValidatesFieldsAndLaunchesOnceForTheUsersTeam() throws Exception {
    mvc.perform(as(ALICE, get("/runs/new").param("preset", "paper")))
        .andExpect(status().isOk())
        .andExpect(xpath("//input[@name='distill.alphaWeak']/@value").string("0.25"))
        .andExpect(xpath("//input[@name='fineTune.steps']/@value").string("1400"));
    Map<String, String> form = SpecForm.values(presets.spec("smoke", "pg-launch-1"));
    Map<String, String> badForm = new java.util.LinkedHashMap<>(form);
    badForm.put("distill.alphaWeak", "2");
    badForm.put("fineTune.steps", "many");
    MockHttpServletRequestBuilder bad = as(ALICE, post("/runs/new/validate").with(csrf()));
    badForm.forEach(bad::param);
    mvc.perform(bad)
        .andExpect(status().isOk())
        .andExpect(
            content().string(slot("distill-alphaWeak", "use a value in \\[0, alphaStrong\\][^<]*")))
        .andExpect(content().string(slot("fineTune-steps", "use a whole number")))
        .andExpect(content().string(slot("fineTune-lr", "")));
    MockHttpServletRequestBuilder launch = as(ALICE, post("/runs").with(csrf()));
    form.forEach(launch::param);
    mvc.perform(launch).andExpect(redirectedUrl("/runs/pg-launch-1"));
    MockHttpServletRequestBuilder again = as(ALICE, post("/runs").with(csrf()));
    form.forEach(again::param);
    mvc.perform(again).andExpect(redirectedUrl("/runs/pg-launch-1"));
    assertThat(ConsoleTestStack.get().control.calls).containsOnlyOnce("start pg-launch-1");
    String team =
        JdbcClient.create(ConsoleTestStack.get().dataSource)
            .sql("select team_id || '/' || created_by from runs where id = 'pg-launch-1'")
            .query(String.class)
            .single();
    assertThat(team).isEqualTo("pages-a/alice");
    Map<String, String> invalidForm = new java.util.LinkedHashMap<>(form);
    invalidForm.put("runId", "pg-launch-2");
    invalidForm.put("evaluate.heldOutClips", "1");
    MockHttpServletRequestBuilder invalid = as(ALICE, post("/runs").with(csrf()));
    invalidForm.forEach(invalid::param);
    mvc.perform(invalid)
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            xpath("//span[@id='err-evaluate-heldOutClips']")
                .string(Matchers.containsString("2 or more")));
  }

  @Test
  void theLivePanelShowsTheHeartbeatFromTheService() throws Exception {
    ConsoleTestStack.get()
        .control
        .heartbeats
        .put(
            OTHER,
            new com.magicdistill.workflows.PipelineClient.LiveHeartbeat(
                new com.magicdistill.workflows.StageHeartbeat(3, 10, null, 0, Double.NaN, 0.5),
                2,
                "w-9@node",
                java.time.Instant.now().minusSeconds(3),
                "STARTED"));
    try {
      mvc.perform(as(ALICE, get("/runs/" + OTHER)))
          .andExpect(status().isOk())
          .andExpect(
              xpath("//div[@data-stage='fine-tune']")
                  .string(
                      Matchers.allOf(
                          Matchers.containsString("3 / 10 steps"),
                          Matchers.containsString("ETA 14 s"),
                          Matchers.containsString("attempt 2"),
                          Matchers.containsString("w-9@node"),
                          Matchers.containsString("heartbeat"),
                          Matchers.not(Matchers.containsString("NaN")))))
          .andExpect(
              xpath("//*[@data-testid='queue-notice']")
                  .string(Matchers.containsString("queue gpu has no workers")));
    } finally {
      ConsoleTestStack.get().control.heartbeats.clear();
    }
  }

  @Test
  void progressUpdatesLeaveTheButtonsAlone() throws Exception {
    var heartbeats = ConsoleTestStack.get().control.heartbeats;
    try {
      heartbeats.put(OTHER, heartbeat(3));
      Map<String, String> before = pages.liveEvents(ALICE.scope(), OTHER);
      heartbeats.put(OTHER, heartbeat(4));
      Map<String, String> after = pages.liveEvents(ALICE.scope(), OTHER);
      assertThat(after.get("live")).contains("4 / 10 steps").isNotEqualTo(before.get("live"));
      assertThat(after.get("live")).doesNotContain("action-cancel-open");
      assertThat(after.get("actions"))
          .contains("action-cancel-open")
          .isEqualTo(before.get("actions"));
      assertThat(pages.liveEvents(BOB.scope(), OTHER)).isEmpty();
      // The page tells the stream which buttons it shows, so connecting does not resend them.
      String page =
          mvc.perform(as(ALICE, get("/runs/" + OTHER)))
              .andReturn()
              .getResponse()
              .getContentAsString(StandardCharsets.UTF_8);
      assertThat(page).contains("shown=" + SpecJson.sha256(after.get("actions")));
    } finally {
      heartbeats.clear();
    }
  }

  private static com.magicdistill.workflows.PipelineClient.LiveHeartbeat heartbeat(int step) {
    return new com.magicdistill.workflows.PipelineClient.LiveHeartbeat(
        new com.magicdistill.workflows.StageHeartbeat(step, 10, null, 0, Double.NaN, 0.5),
        1,
        "w-1@node",
        java.time.Instant.now(),
        "STARTED");
  }

  @Test
  void aTeamAtItsQuotaCannotLaunch() throws Exception {
    JdbcClient.create(ConsoleTestStack.get().dataSource)
        .sql("insert into teams (id, name, max_active_runs) values ('pages-q', 'q', 0)")
        .update();
    ConsoleUser carol = new ConsoleUser("carol", "x", true, "pages-q", "member");
    MockHttpServletRequestBuilder launch = as(carol, post("/runs").with(csrf()));
    SpecForm.values(presets.spec("smoke", "pg-quota-1")).forEach(launch::param);
    mvc.perform(launch)
        .andExpect(status().isTooManyRequests())
        .andExpect(content().string(Matchers.containsString("its quota")));
    assertThat(ConsoleTestStack.get().control.calls).doesNotContain("start pg-quota-1");
  }

  @Test
  void theRunPageShowsEveryTabAndKeepsFilesInsideTheRun() throws Exception {
    for (String tab :
        new String[] {
          "metrics", "attempts", "checkpoints", "samples", "evaluation", "spec", "events"
        }) {
      mvc.perform(as(ALICE, get("/runs/" + DONE).param("tab", tab)))
          .andExpect(status().isOk())
          .andExpect(xpath("//*[@data-testid='panel-" + tab + "']").exists());
    }
    mvc.perform(as(ALICE, get("/runs/" + DONE).param("tab", "samples")))
        .andExpect(
            xpath("//div[@data-method='exported_w2s4']//video/source/@src")
                .string(Matchers.containsString("clip-00.mp4")))
        .andExpect(
            xpath("//div[@data-method='exported_w2s4']//video/@data-gif")
                .string(Matchers.containsString("clip-00.gif")))
        .andExpect(
            xpath("//div[@data-method='teacher_euler28']//img[@class='first']/@src")
                .string(Matchers.containsString("first-00.png")))
        .andExpect(xpath("(//div[@data-method])[1]/@data-method").string("exported_w2s4"))
        .andExpect(xpath("//img[@data-testid='contact-sheet']").exists());
    mvc.perform(as(ALICE, get("/runs/" + DONE).param("tab", "evaluation")))
        .andExpect(
            xpath("//tr[@data-method='teacher_euler28']/td[contains(@class,'best')]")
                .string(Matchers.containsString("2.500 ★")))
        .andExpect(
            xpath("//tr[@data-method='exported_w2s4']/td[contains(@class,'best')]").nodeCount(4));
    mvc.perform(
            as(
                ALICE,
                get("/runs/" + DONE + "/series")
                    .param("stage", "w2s")
                    .param("name", "generator.loss")
                    .param("maxPoints", "100")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.x.length()").value(Matchers.lessThanOrEqualTo(100)))
        .andExpect(jsonPath("$.x[0]").value(1));
    mvc.perform(
            as(
                ALICE,
                get("/runs/" + DONE + "/file")
                    .param("path", "evaluate/samples/exported_w2s4/clip-00.mp4")))
        .andExpect(status().isOk())
        .andExpect(header().string("Content-Type", "video/mp4"));
    mvc.perform(as(ALICE, get("/runs/" + DONE + "/file").param("path", "../secret.txt")))
        .andExpect(status().isBadRequest());
    mvc.perform(as(ALICE, get("/runs/" + DONE + "/file").param("path", "evaluate//x")))
        .andExpect(status().isBadRequest());
    mvc.perform(as(ALICE, get("/runs/" + TEAM_B))).andExpect(status().isNotFound());
    mvc.perform(as(ALICE, get("/runs/" + TEAM_B + "/file").param("path", "evaluate/report.json")))
        .andExpect(status().isNotFound());
    mvc.perform(
            as(
                BOB,
                get("/runs/" + DONE + "/series")
                    .param("stage", "w2s")
                    .param("name", "generator.loss")))
        .andExpect(status().isNotFound());
  }

  @Test
  void actionsFollowTheRunsStatus() throws Exception {
    mvc.perform(as(ALICE, get("/runs/" + OTHER)))
        .andExpect(xpath("//button[@data-testid='action-pause']").exists())
        .andExpect(xpath("//button[@data-testid='action-resume']").doesNotExist())
        .andExpect(xpath("//button[@data-testid='action-rerun']").doesNotExist());
    mvc.perform(
            as(ALICE, post("/runs/" + OTHER + "/pause").with(csrf()).header("HX-Request", "true")))
        .andExpect(header().string("HX-Redirect", "/runs/" + OTHER));
    assertThat(ConsoleTestStack.get().control.calls).contains("pause " + OTHER);
    mvc.perform(as(ALICE, post("/runs/" + OTHER + "/cancel").with(csrf()).param("reason", "")))
        .andExpect(redirectedUrl("/runs/" + OTHER));
    assertThat(ConsoleTestStack.get().control.calls).doesNotContain("cancel " + OTHER);
    mvc.perform(
            as(ALICE, post("/runs/" + DONE + "/resume").with(csrf()).header("HX-Request", "true")))
        .andExpect(status().isConflict());
    mvc.perform(
            as(
                ALICE,
                post("/runs/" + DONE + "/rerun")
                    .with(csrf())
                    .param("fromStage", "w2s")
                    .param("newRunId", "pg-rerun-1")))
        .andExpect(redirectedUrl("/runs/pg-rerun-1"));
    String reuse =
        JdbcClient.create(ConsoleTestStack.get().dataSource)
            .sql(
                "select reused_from_run || ':' || reuse_from_stage from runs where id = 'pg-rerun-1'")
            .query(String.class)
            .single();
    assertThat(reuse).isEqualTo(DONE + ":w2s");
    mvc.perform(as(BOB, post("/runs/" + OTHER + "/cancel").with(csrf()).param("reason", "x")))
        .andExpect(status().isNotFound());
  }

  @Test
  void compareShowsDifferencesOnlyAndMarksTheBest() throws Exception {
    mvc.perform(as(ALICE, get("/compare").param("runs", DONE + "," + OTHER)))
        .andExpect(status().isOk())
        .andExpect(
            xpath("//table[@data-testid='spec-diff']//code[text()='distill.alphaWeak']").exists())
        .andExpect(
            xpath("//table[@data-testid='spec-diff']//code[text()='fineTune.lr']").doesNotExist())
        .andExpect(xpath("//div[@data-testid='chart']").exists());
    mvc.perform(as(ALICE, get("/compare").param("runs", DONE, OTHER).param("all", "true")))
        .andExpect(xpath("//table[@data-testid='spec-diff']//code[text()='fineTune.lr']").exists());
    mvc.perform(
            as(
                ALICE,
                get("/compare/series")
                    .param("runs", DONE + "," + OTHER)
                    .param("stage", "w2s")
                    .param("name", "generator.loss")))
        .andExpect(jsonPath("$.series.length()").value(2));
    mvc.perform(as(ALICE, get("/compare").param("runs", DONE + "," + TEAM_B)))
        .andExpect(status().isNotFound());
    mvc.perform(as(ALICE, get("/compare").param("runs", DONE)))
        .andExpect(status().isOk())
        .andExpect(xpath("//*[@data-testid='compare-problem']").exists());
  }

  @Test
  void modelsListFilesWithShaAndDownloadOnlyThem() throws Exception {
    String page =
        mvc.perform(as(ALICE, get("/models")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String id = page.replaceAll("(?s).*href=\"/models/(\\d+)\".*", "$1");
    mvc.perform(as(ALICE, get("/models/" + id)))
        .andExpect(xpath("//table[@data-testid='model-files']//code[text()='abc123']").exists());
    mvc.perform(as(ALICE, get("/models/" + id + "/files/config.json"))).andExpect(status().isOk());
    mvc.perform(as(ALICE, get("/models/" + id + "/files/..%2F..%2Fsecret.txt")))
        .andExpect(status().is4xxClientError());
    mvc.perform(as(ALICE, get("/models/" + id + "/files/secret.txt")))
        .andExpect(status().isNotFound());
    mvc.perform(as(BOB, get("/models/" + id))).andExpect(status().isNotFound());
  }

  @Test
  void settingsAreForAdminsAndShowANewTokenOnce() throws Exception {
    mvc.perform(as(BOB, get("/settings"))).andExpect(status().isForbidden());
    String token =
        mvc.perform(
                as(
                    ALICE,
                    post("/settings/tokens")
                        .with(csrf())
                        .param("name", "ci")
                        .param("scopes", "runs:read")))
            .andExpect(status().isOk())
            .andExpect(
                xpath("//*[@data-testid='new-token-value']").string(Matchers.startsWith("mdt_")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(token).contains("mdt_");
    mvc.perform(as(ALICE, get("/settings")))
        .andExpect(xpath("//*[@data-testid='new-token-value']").doesNotExist())
        .andExpect(xpath("//table[@data-testid='tokens-table']//td[text()='ci']").exists());
  }
}
