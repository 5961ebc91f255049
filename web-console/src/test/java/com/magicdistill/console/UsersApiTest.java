package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.magicdistill.db.TeamScope;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The user API: create with a role, list, change role, disable; problems name every bad field. */
class UsersApiTest extends ConsoleTest {
  private MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder r, String token) {
    return r.header("Authorization", bearer(token)).contentType(MediaType.APPLICATION_JSON);
  }

  @Test
  void aTeamTokenManagesItsTeamsUsers() throws Exception {
    String team = team("users");
    String token = token(team);
    String name = "ann-" + team.substring(team.length() - 8);
    mvc.perform(
            as(post("/api/v1/users"), token)
                .content(
                    "{\"username\":\""
                        + name
                        + "\",\"password\":\"0123456789\",\"role\":\"member\"}"))
        .andExpect(status().isCreated())
        .andExpect(header().string("Location", "/api/v1/users/" + name))
        .andExpect(jsonPath("$.role").value("member"))
        .andExpect(jsonPath("$.teamId").value(team))
        .andExpect(content().string(Matchers.not(Matchers.containsString("password"))));
    mvc.perform(as(get("/api/v1/users"), token))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[*].username").value(Matchers.contains(name)));
    mvc.perform(as(patch("/api/v1/users/" + name), token).content("{\"role\":\"team_admin\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.role").value("team_admin"));
    mvc.perform(as(patch("/api/v1/users/" + name), token).content("{\"disabled\":true}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.disabledAt").isNotEmpty());
    assertThat(repositories.users().find(TeamScope.team(team), name).orElseThrow().disabledAt())
        .isNotNull();
    mvc.perform(
            as(post("/api/v1/users"), token)
                .content(
                    "{\"username\":\""
                        + name
                        + "\",\"password\":\"0123456789\",\"role\":\"member\"}"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value("/problems/user-exists"));
  }

  @Test
  void badFieldsAreAllNamedAndAdminIsNotGrantedByAToken() throws Exception {
    String token = token(team("users-bad"));
    mvc.perform(
            as(post("/api/v1/users"), token)
                .content("{\"username\":\"x\",\"password\":\"short\",\"role\":\"admin\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", "application/problem+json"))
        .andExpect(
            jsonPath("$.errors[*].field")
                .value(Matchers.containsInAnyOrder("username", "password", "role")));
    mvc.perform(
            as(post("/api/v1/users"), token)
                .content(
                    "{\"username\":\"abc\",\"password\":\"0123456789\",\"role\":\"member\",\"x\":1}"))
        .andExpect(status().isBadRequest());
    mvc.perform(as(patch("/api/v1/users/nobody-here"), token).content("{\"role\":\"member\"}"))
        .andExpect(status().isNotFound());
  }

  @Test
  void withoutTheUsersScopeTheApiIsForbidden() throws Exception {
    String token = token(team("users-scope"), "runs:read", "runs:write", "tokens:manage");
    mvc.perform(as(get("/api/v1/users"), token))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.detail").value(Matchers.containsString("users:manage")));
  }
}
