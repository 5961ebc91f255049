package com.magicdistill.console.compare;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.console.runs.RunService;
import com.magicdistill.console.runs.RunViews;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/compare}: 2-8 runs side by side, spec differences only. */
@RestController
@Tag(name = "Runs")
public class CompareApiController {
  private final RunService runs;
  private final PaperTable table;

  public CompareApiController(RunService runs, PaperTable table) {
    this.runs = runs;
    this.table = table;
  }

  /** The runs, the spec fields they differ in, and their evaluation rows. */
  public record Comparison(
      List<RunViews.RunDetail> runs,
      List<SpecDiff.Difference> specDiff,
      List<PaperTable.Row> table) {}

  @GetMapping("/api/v1/compare")
  @Operation(operationId = "compareRuns", summary = "Compare 2-8 of the team's runs")
  public Comparison compare(
      @AuthenticationPrincipal ApiCaller caller,
      @Parameter(description = "comma list of 2-8 run ids") @RequestParam("runs") String ids) {
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String id : ids.split(",")) {
      if (!id.isBlank()) {
        unique.add(id.strip());
      }
      if (unique.size() > 8) {
        break;
      }
    }
    if (unique.size() < 2 || unique.size() > 8) {
      throw ApiException.badParameter("runs", null, "give 2-8 distinct run ids, comma-separated");
    }
    List<RunViews.RunDetail> details = new ArrayList<>();
    for (String id : unique) {
      details.add(runs.detail(caller.scope(), id));
    }
    List<Map<String, Object>> specs = details.stream().map(RunViews.RunDetail::spec).toList();
    return new Comparison(details, SpecDiff.of(specs), table.rows(caller.scope(), details));
  }
}
