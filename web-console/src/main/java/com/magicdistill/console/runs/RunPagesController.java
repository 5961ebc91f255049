package com.magicdistill.console.runs;

import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.RunQueries;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The runs list page (the console's start page). */
@Controller
public class RunPagesController {
  private final ConsoleRepositories repositories;

  public RunPagesController(ConsoleRepositories repositories) {
    this.repositories = repositories;
  }

  @GetMapping("/runs")
  String runs(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam(required = false) String cursor,
      Model model) {
    RunQueries.Page page =
        repositories
            .runs()
            .list(user.scope(), RunQueries.RunFilter.ANY, RunCursor.decodeOrNull(cursor), 50);
    model.addAttribute("runs", page.items());
    model.addAttribute("nextCursor", page.next() == null ? null : RunCursor.encode(page.next()));
    return "runs";
  }
}
