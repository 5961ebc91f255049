package com.magicdistill.console.pages;

import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.ModelQueries;
import com.magicdistill.db.ModelQueries.ModelRow;
import com.magicdistill.db.StageRow;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * Exported model packages: the list, and one package with its model card, lineage (run, stages and
 * their cache keys, the teacher checkpoint and dataset manifest the fine-tune stage recorded) and
 * its files with sha256 and download. A download is one of the package's own files: a name that is
 * not listed under the package prefix (which lies under the run's) is not found.
 */
@Controller
public class ModelPagesController {
  private final ConsoleRepositories repositories;
  private final ModelQueries queries;
  private final ObjectStore store;

  public ModelPagesController(
      ConsoleRepositories repositories, ConsoleBackends backends, RunFiles files) {
    this.repositories = repositories;
    this.queries = new ModelQueries(backends.dataSource());
    this.store = files.store();
  }

  /** A file of the package: name, sha256 from SHA256SUMS (null if unlisted there). */
  public record PackageFile(String name, String sha256) {}

  @GetMapping("/models")
  String models(@AuthenticationPrincipal ConsoleUser user, Model model) {
    model.addAttribute("models", queries.list(user.scope(), 200));
    return "models";
  }

  private ModelRow model(ConsoleUser user, long id) {
    ModelRow m =
        queries
            .find(user.scope(), id)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such model"));
    if (!m.objectPrefix().startsWith(RunFiles.prefix(m.runId()))) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such model");
    }
    return m;
  }

  @GetMapping("/models/{id}")
  String model(@AuthenticationPrincipal ConsoleUser user, @PathVariable long id, Model model)
      throws IOException {
    ModelRow m = model(user, id);
    List<PackageFile> fileList = files(m);
    model.addAttribute("m", m);
    model.addAttribute("files", fileList);
    model.addAttribute("card", text(m, "model-card.md"));
    List<StageRow> stages = repositories.pipeline().stages().stages(m.runId());
    model.addAttribute("stages", stages);
    Map<String, String> teacher = new LinkedHashMap<>();
    stages.stream()
        .filter(s -> s.stage().equals("fine-tune") && s.outputsJson() != null)
        .findFirst()
        .ifPresent(s -> teacher.putAll(SpecJson.flatten(s.outputsJson())));
    model.addAttribute("teacher", teacher);
    model.addAttribute("run", repositories.runs().find(user.scope(), m.runId()).orElse(null));
    return "model";
  }

  private String text(ModelRow m, String name) {
    try {
      String key = m.objectPrefix() + "/" + name;
      return store.exists(key) ? new String(store.get(key), StandardCharsets.UTF_8) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private List<PackageFile> files(ModelRow m) throws IOException {
    Map<String, String> sums = new LinkedHashMap<>();
    String text = text(m, "SHA256SUMS");
    if (text != null) {
      for (String line : text.split("\n")) {
        String[] parts = line.strip().split("\\s+\\*?", 2);
        if (parts.length == 2) {
          sums.put(parts[1].strip(), parts[0]);
        }
      }
    }
    List<PackageFile> out = new ArrayList<>();
    String prefix = m.objectPrefix() + "/";
    for (String key : store.list(prefix)) {
      String name = key.substring(prefix.length());
      out.add(new PackageFile(name, sums.get(name)));
    }
    return out;
  }

  @GetMapping("/models/{id}/files/{name}")
  ResponseEntity<Resource> download(
      @AuthenticationPrincipal ConsoleUser user, @PathVariable long id, @PathVariable String name)
      throws IOException {
    ModelRow m = model(user, id);
    boolean listed = files(m).stream().anyMatch(f -> f.name().equals(name));
    if (!listed) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such file in the package");
    }
    InputStream in = store.openStream(m.objectPrefix() + "/" + name);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"" + name.replace("\"", "") + "\"")
        .body(new InputStreamResource(in));
  }
}
