package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.db.AuditLogRepository;
import com.magicdistill.db.AuditLogRepository.AuditEntry;
import com.magicdistill.db.TeamScope;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Every audited action leaves one row naming actor, team, action and target, in order. */
class AuditLogTest extends ConsoleTest {
  private List<AuditEntry> log(String team) {
    List<AuditEntry> all =
        new java.util.ArrayList<>(
            new AuditLogRepository(ConsoleTestStack.get().dataSource)
                .recent(TeamScope.team(team), 50));
    java.util.Collections.reverse(all);
    return all;
  }

  private MockHttpServletRequestBuilder api(MockHttpServletRequestBuilder r, String token) {
    return r.header("Authorization", bearer(token)).contentType(MediaType.APPLICATION_JSON);
  }

  @Test
  void tokensWebhooksAndRunActionsThroughTheApiAreRecordedWithTheirToken() throws Exception {
    String team = team("audit");
    String token = token(team);
    String caller = "token:" + token.substring(4, 12);
    String created =
        mvc.perform(
                api(post("/api/v1/tokens"), token)
                    .content("{\"name\":\"ci\",\"scopes\":[\"runs:read\"]}"))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String tokenId = JsonPath.read(created, "$.info.id");
    mvc.perform(api(delete("/api/v1/tokens/" + tokenId), token)).andExpect(status().isNoContent());
    String hook =
        mvc.perform(
                api(post("/api/v1/webhooks"), token)
                    .content(
                        "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"run.succeeded\"]}"))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String hookId = JsonPath.read(hook, "$.webhook.id");
    mvc.perform(api(delete("/api/v1/webhooks/" + hookId), token)).andExpect(status().isNoContent());
    String run =
        JsonPath.read(
            mvc.perform(api(post("/api/v1/runs"), token).content("{\"preset\":\"smoke\"}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString(),
            "$.id");
    mvc.perform(api(post("/api/v1/runs/" + run + "/pause"), token))
        .andExpect(status().isAccepted());
    mvc.perform(api(post("/api/v1/runs/" + run + "/resume"), token))
        .andExpect(status().isAccepted());
    mvc.perform(api(post("/api/v1/runs/" + run + "/cancel"), token).content("{\"reason\":\"x\"}"))
        .andExpect(status().isAccepted());
    String rerun =
        JsonPath.read(
            mvc.perform(api(post("/api/v1/runs/" + run + "/rerun"), token).content("{}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString(),
            "$.id");

    List<AuditEntry> log = log(team);
    assertThat(log)
        .extracting(AuditEntry::action)
        .containsExactly(
            "token.create",
            "token.revoke",
            "webhook.create",
            "webhook.delete",
            "run.launch",
            "run.pause",
            "run.resume",
            "run.cancel",
            "run.rerun");
    assertThat(log).allSatisfy(e -> assertThat(e.actor()).isEqualTo(caller));
    assertThat(log).allSatisfy(e -> assertThat(e.teamId()).isEqualTo(team));
    assertThat(log.get(0).target()).isEqualTo("token:" + tokenId);
    assertThat(log.get(1).target()).isEqualTo("token:" + tokenId);
    assertThat(log.get(2).target()).isEqualTo("webhook:" + hookId);
    assertThat(log.get(4).runId()).isEqualTo(run);
    assertThat(log.get(7).runId()).isEqualTo(run);
    assertThat(log.get(8).runId()).isEqualTo(rerun);
    assertThat(log.get(8).target()).isEqualTo("run:" + run);
  }

  @Test
  void aUserCreatedInTheSettingsIsRecordedWithTheAdmin() throws Exception {
    String team = team("audit-ui");
    repositories.teams().ensureTeam(team);
    ConsoleUser admin = new ConsoleUser("audit-admin", "x", true, team, "team_admin");
    String name = "u-" + team.substring(team.length() - 8);
    mvc.perform(
            post("/settings/users")
                .with(user(admin))
                .with(csrf())
                .param("username", name)
                .param("password", "long-enough-password")
                .param("role", "member"))
        .andExpect(status().is3xxRedirection());
    assertThat(log(team))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo("user.create");
              assertThat(e.actor()).isEqualTo("audit-admin");
              assertThat(e.target()).isEqualTo("user:" + name + " role:member");
            });
  }

  /** Pause and cancel from the run page are recorded with the console user, as through the API. */
  @Test
  void runActionsFromTheConsoleAreRecordedWithTheUser() throws Exception {
    String team = team("audit-page");
    String run =
        JsonPath.read(
            mvc.perform(api(post("/api/v1/runs"), token(team)).content("{\"preset\":\"smoke\"}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString(),
            "$.id");
    ConsoleUser member = new ConsoleUser("audit-member", "x", true, team, "member");
    mvc.perform(post("/runs/" + run + "/pause").with(user(member)).with(csrf()))
        .andExpect(status().is3xxRedirection());
    mvc.perform(
            post("/runs/" + run + "/cancel")
                .with(user(member))
                .with(csrf())
                .param("reason", "not needed"))
        .andExpect(status().is3xxRedirection());
    List<AuditEntry> byMember =
        log(team).stream().filter(e -> e.actor().equals("audit-member")).toList();
    assertThat(byMember).extracting(AuditEntry::action).containsExactly("run.pause", "run.cancel");
    assertThat(byMember).allSatisfy(e -> assertThat(e.runId()).isEqualTo(run));
  }
}
