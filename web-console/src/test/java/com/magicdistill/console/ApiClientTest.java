package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.magicdistill.client.ApiClient;
import com.magicdistill.client.ApiException;
import com.magicdistill.client.ApiResponse;
import com.magicdistill.client.api.MetaApi;
import com.magicdistill.client.api.RunsApi;
import com.magicdistill.client.model.RunDetail;
import com.magicdistill.client.model.RunRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * The API over real HTTP through the Java client generated from docs/api/openapi.json (module
 * api-client): what another team's code does.
 */
class ApiClientTest extends ConsoleTest {
  @Autowired Environment environment;

  private ApiClient client(String token) {
    ApiClient c = new ApiClient();
    c.updateBaseUri("http://127.0.0.1:" + environment.getProperty("local.server.port"));
    if (token != null) {
      c.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
    }
    return c;
  }

  @Test
  void anotherTeamLaunchesAndReadsRunsThroughTheGeneratedClient() throws Exception {
    String token = token(team("client"));
    RunsApi runs = new RunsApi(client(token));
    String key = UUID.randomUUID().toString();
    RunRequest request =
        new RunRequest().preset("smoke").putOverridesItem("distill.alphaWeak", 0.5);

    ApiResponse<RunDetail> first = runs.createRunWithHttpInfo(request, key);
    assertThat(first.getStatusCode()).isEqualTo(201);
    ApiResponse<RunDetail> again = runs.createRunWithHttpInfo(request, key);
    assertThat(again.getStatusCode()).isEqualTo(200);
    assertThat(again.getData().getId()).isEqualTo(first.getData().getId());
    ApiException mismatch =
        assertThrows(
            ApiException.class, () -> runs.createRun(new RunRequest().preset("smoke"), key));
    assertThat(mismatch.getCode()).isEqualTo(422);

    var dryRun = runs.validateRun(new RunRequest().preset("smoke").putOverridesItem("nope", 1));
    assertThat(dryRun.getValid()).isFalse();
    assertThat(dryRun.getProblems().get(0).getField()).isEqualTo("overrides.nope");

    RunDetail got = runs.getRun(first.getData().getId(), null);
    assertThat(got.getTeamId()).isEqualTo(first.getData().getTeamId());
    assertThat(new MetaApi(client(token)).getMe().getScopes()).contains("runs:write");

    ApiException foreign =
        assertThrows(
            ApiException.class,
            () -> new RunsApi(client(token(team("stranger")))).getRun(got.getId(), null));
    assertThat(foreign.getCode()).isEqualTo(404);
    assertThat(foreign.getResponseBody()).contains("/problems/not-found");
    ApiException anonymous =
        assertThrows(ApiException.class, () -> new RunsApi(client(null)).getRun(got.getId(), null));
    assertThat(anonymous.getCode()).isEqualTo(401);
  }
}
