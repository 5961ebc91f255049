package com.magicdistill.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import com.jayway.jsonpath.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * More than 1,000 malformed or hostile requests (wrong types, huge values, unicode, {@code ../} in
 * names, SQL in filters, broken JSON, odd headers): every answer is a 4xx (a read that happens to
 * be well-formed may be 200), never a 5xx, and no table changes.
 */
class ApiFuzzTest extends ConsoleTest {
  private static final String[] HOSTILE = {
    "",
    " ",
    "null",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999",
    "../../etc/passwd",
    "..%2F..%2Fetc",
    "' or '1'='1",
    "'; drop table runs; --",
    "%00",
    "\u0000",
    "ü",
    "🚀",
    "\u202e",
    "<script>alert(1)</script>",
    "a".repeat(5000),
    "${jndi:ldap://x}",
    "{{7*7}}",
    "runs/../x",
    "\\",
    "\"",
    "[]",
    "{}",
    "true",
    "-9223372036854775809",
    "1.5",
    "%",
    "_",
    "*"
  };

  private static final String[] BODIES = {
    "{",
    "[]",
    "null",
    "\"text\"",
    "{\"preset\":1}",
    "{\"preset\":[\"smoke\"]}",
    "{\"preset\":\"smoke\",\"overrides\":[]}",
    "{\"preset\":\"smoke\",\"overrides\":{\"\":1}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"distill.alphaWeak\":\"high\"}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"distill\":5}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"fineTune.steps\":1e400}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"fineTune.steps\":12.5}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"fineTune.steps\":-99999999999}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"runId\":\"x\"}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"taskQueues.nostage\":\"gpu\"}}",
    "{\"preset\":\"smoke\",\"runId\":\"../x\"}",
    "{\"preset\":\"smoke\",\"runId\":\"A\"}",
    "{\"preset\":\"smoke\",\"useCache\":\"yes\"}",
    "{\"preset\":\"tiny\"}",
    "{\"preset\":\"smoke\",\"spec\":{\"runId\":\"x\"}}",
    "{\"spec\":[]}",
    "{\"spec\":{\"runId\":7}}",
    "{\"spec\":{\"fineTune\":{\"steps\":\"many\"}}}",
    "{\"preset\":\"smoke\",\"unknown\":true}",
    "{\"preset\":\"smoke\",\"name\":\"" + "n".repeat(2000) + "\"}",
    "{\"preset\":\"smoke\",\"overrides\":{\"evaluate.heldOutClips\":-1}}",
    "{\"preset\":\"smoke\",\"overrides\":{\"distill.loraRank\":2147483648}}",
    "{\"reason\":7}",
    "{\"fromStage\":\"../fine-tune\"}",
    "\u0000\u0001",
    "{\"a\":" + "[".repeat(3000),
  };

  @Test
  void hostileRequestsGive4xxAndChangeNothing() throws Exception {
    String team = team("fuzz");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tokens.add(token(team));
    }
    String runId =
        JsonPath.read(
            mvc.perform(
                    post("/api/v1/runs")
                        .header("Authorization", bearer(tokens.get(0)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"preset\":\"smoke\"}"))
                .andReturn()
                .getResponse()
                .getContentAsString(),
            "$.id");
    Map<String, Long> before = counts();
    Random random = new Random(20261202);
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (int i = 0; i < 1100; i++) {
      String token = tokens.get(i % tokens.size());
      MockHttpServletRequestBuilder r = hostile(random, runId, i);
      r.header("Authorization", i % 97 == 0 ? "Bearer " + pick(random, HOSTILE) : bearer(token));
      if (i % 5 == 0) {
        r.header("Idempotency-Key", pick(random, HOSTILE));
      }
      if (i % 7 == 0) {
        r.header("Last-Event-ID", pick(random, HOSTILE));
      }
      var resp = mvc.perform(r).andReturn().getResponse();
      sent++;
      int s = resp.getStatus();
      String uri = r.buildRequest(null).getRequestURI();
      boolean write =
          !"GET".equals(r.buildRequest(null).getMethod()) && !uri.endsWith("/runs/validate");
      if (s >= 500 || (write && s < 400) || s == 401 && i % 97 != 0) {
        failures.add(
            r.buildRequest(null).getMethod()
                + " "
                + r.buildRequest(null).getRequestURI()
                + " -> "
                + s
                + " "
                + resp.getContentAsString());
      }
    }
    assertThat(sent).isGreaterThanOrEqualTo(1000);
    assertThat(failures).isEmpty();
    assertThat(counts()).isEqualTo(before);
  }

  private MockHttpServletRequestBuilder hostile(Random random, String runId, int i) {
    String h = pick(random, HOSTILE);
    String enc = java.net.URLEncoder.encode(h, java.nio.charset.StandardCharsets.UTF_8);
    switch (i % 11) {
      case 0, 1, 2:
        return post("/api/v1/runs")
            .contentType(MediaType.APPLICATION_JSON)
            .content(pick(random, BODIES));
      case 3:
        return post("/api/v1/runs/validate")
            .contentType(MediaType.APPLICATION_JSON)
            .content(pick(random, BODIES));
      case 4:
        return get("/api/v1/runs")
            .param(
                pick(
                    random,
                    new String[] {
                      "status", "preset", "q", "createdAfter", "createdBefore", "limit", "cursor"
                    }),
                h);
      case 5:
        return get("/api/v1/runs/" + runId + "/artifacts/" + enc + "/content");
      case 6:
        return get("/api/v1/runs/" + enc);
      case 7:
        return get("/api/v1/runs/" + runId + "/metrics/" + enc + "/" + enc)
            .param("maxPoints", h)
            .param("fromStep", pick(random, HOSTILE));
      case 8:
        return post("/api/v1/runs/"
                + enc
                + "/"
                + pick(random, new String[] {"pause", "resume", "cancel", "rerun"}))
            .contentType(MediaType.APPLICATION_JSON)
            .content(pick(random, BODIES));
      case 9:
        return get("/api/v1/compare").param("runs", h + "," + runId);
      default:
        String body = pick(random, BODIES);
        return request(HttpMethod.POST, "/api/v1/runs/" + runId + "/rerun")
            .contentType(
                pick(random, new String[] {"application/json", "text/plain", "application/xml"}))
            // a JSON null body is a valid rerun of every stage: not hostile
            .content(body.equals("null") ? "{\"fromStage\":\"nowhere\"}" : body);
    }
  }

  private static String pick(Random r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  private Map<String, Long> counts() {
    JdbcTemplate jdbc = new JdbcTemplate((DataSource) ConsoleTestStack.get().dataSource);
    Map<String, Long> out = new TreeMap<>();
    for (String t :
        List.of("runs", "stages", "idempotency_keys", "api_tokens", "run_events", "teams")) {
      out.put(t, jdbc.queryForObject("select count(*) from " + t, Long.class));
    }
    return out;
  }
}
