package com.magicdistill.console.pages;

import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.console.runs.PresetCatalog;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunSpec.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The launch form: every field of the run spec, filled from a preset or from an earlier run (run
 * again / rerun from a stage), validated live with the spec's own field rules.
 */
@Controller
public class LaunchPagesController {
  private final PresetCatalog presets;
  private final ConsoleLaunches launches;
  private final ConsoleRepositories repositories;

  public LaunchPagesController(
      PresetCatalog presets, ConsoleLaunches launches, ConsoleRepositories repositories) {
    this.presets = presets;
    this.launches = launches;
    this.repositories = repositories;
  }

  @GetMapping("/runs/new")
  String form(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam(required = false) String preset,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String fromStage,
      Model model) {
    String runId = ConsoleLaunches.newRunId();
    RunSpec spec = presets.spec(preset == null ? "smoke" : preset, runId);
    String note = null;
    if (from != null && !from.isBlank()) {
      var earlier = repositories.runs().find(user.scope(), from);
      if (earlier.isPresent()) {
        RunSpec old = SpecJson.read(earlier.get().specJson());
        spec = old.withRunId(runId, old.name());
        note = "Filled in from run " + from + ".";
        if (fromStage != null && PipelineStage.bySlug(fromStage).isPresent()) {
          spec = spec.withReuse(from, PipelineStage.bySlug(fromStage).get());
          note =
              "Reruns from stage "
                  + fromStage
                  + ", reusing the earlier stages of run "
                  + from
                  + ".";
        }
      }
    }
    return render(model, spec, List.of(), note, null);
  }

  private String render(
      Model model, RunSpec spec, List<Problem> problems, String note, String specJson) {
    SpecForm.Bound b = new SpecForm.Bound(spec, problems);
    model.addAttribute("groups", SpecForm.groups(spec, b.errorsByField()));
    model.addAttribute("problems", problems);
    model.addAttribute("presets", presets.names());
    model.addAttribute("currentPreset", spec.preset());
    model.addAttribute("note", note);
    model.addAttribute(
        "specJson", specJson != null ? specJson : SpecJson.pretty(SpecJson.write(spec)));
    return "launch";
  }

  /** Live validation: a summary plus every field's error slot (out of band). */
  @PostMapping("/runs/new/validate")
  String validate(@RequestParam Map<String, String> params, Model model) {
    SpecForm.Bound b = SpecForm.bind(params);
    Map<String, String> errors = b.errorsByField();
    model.addAttribute("problems", b.problems());
    model.addAttribute("oob", true);
    model.addAttribute(
        "groups",
        b.spec() != null
            ? SpecForm.groups(b.spec(), errors)
            : SpecForm.groups(presets.spec("smoke", "x-x-x"), errors));
    return "launch :: validation";
  }

  @PostMapping("/runs")
  String launch(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam Map<String, String> params,
      Model model,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    SpecForm.Bound b = SpecForm.bind(params);
    if (!b.valid()) {
      response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
      RunSpec shown =
          b.spec() != null ? b.spec() : presets.spec("smoke", ConsoleLaunches.newRunId());
      return render(model, shown, b.problems(), null, params.get("specJson"));
    }
    try {
      ConsoleLaunches.Launched l = launches.launch(b.spec(), user);
      if (l.warning() != null) {
        redirect.addFlashAttribute("flash", l.warning());
      }
      return "redirect:/runs/" + l.runId();
    } catch (ConsoleLaunches.QuotaExceeded e) {
      response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
      return render(
          model,
          b.spec(),
          List.of(new Problem("runId", b.spec().runId(), e.getMessage(), false)),
          null,
          params.get("specJson"));
    } catch (ConsoleLaunches.RunIdTaken e) {
      response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
      return render(
          model,
          b.spec(),
          List.of(
              new Problem(
                  "runId", b.spec().runId(), "a run with this id exists; pick a new id", false)),
          null,
          params.get("specJson"));
    }
  }
}
