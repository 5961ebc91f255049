package com.magicdistill.console.pages;

import com.magicdistill.console.audit.AuditLog;
import com.magicdistill.console.auth.ConsoleUser;
import com.magicdistill.console.auth.TokenVerifier;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.ApiTokenRepository.TokenRow;
import com.magicdistill.db.ApiTokens;
import com.magicdistill.db.UserRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings for admins and team admins: users and their roles, team API tokens (a new token is shown
 * once, only its hash is kept; revoke; last use), webhooks with their delivery log.
 */
@Controller
public class SettingsPagesController {
  private final ConsoleRepositories repositories;
  private final PageQueries queries;
  private final PasswordEncoder encoder;
  private final TokenVerifier verifier;
  private final AuditLog audit;

  public SettingsPagesController(
      ConsoleRepositories repositories,
      PageQueries queries,
      PasswordEncoder encoder,
      TokenVerifier verifier,
      AuditLog audit) {
    this.audit = audit;
    this.verifier = verifier;
    this.repositories = repositories;
    this.queries = queries;
    this.encoder = encoder;
  }

  @GetMapping("/settings")
  String settings(@AuthenticationPrincipal ConsoleUser user, Model model) {
    model.addAttribute("users", repositories.users().list(user.scope()));
    List<TokenRow> tokens = repositories.tokens().list(user.scope());
    model.addAttribute("tokens", tokens);
    model.addAttribute("scopes", ApiTokens.SCOPES.stream().sorted().toList());
    model.addAttribute(
        "roles",
        "admin".equals(user.role())
            ? List.of("member", "team_admin", "admin")
            : List.of("member", "team_admin"));
    model.addAttribute("isAdmin", "admin".equals(user.role()));
    model.addAttribute("webhooks", queries.webhooks(user.scope()));
    model.addAttribute("deliveries", queries.deliveries(user.scope(), 50));
    return "settings";
  }

  @PostMapping("/settings/users")
  String createUser(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam String username,
      @RequestParam String password,
      @RequestParam String role,
      @RequestParam(required = false) String team,
      RedirectAttributes flash) {
    boolean admin = "admin".equals(user.role());
    String teamId = admin && team != null && !team.isBlank() ? team.strip() : user.teamId();
    List<String> problems = new ArrayList<>();
    if (!username.matches("[A-Za-z0-9._-]{2,64}")) {
      problems.add("username: use 2-64 letters, digits, '.', '_' or '-'");
    }
    if (password.length() < 10) {
      problems.add("password: use at least 10 characters");
    }
    if (!UserRepository.ROLES.contains(role) || ("admin".equals(role) && !admin)) {
      problems.add("role: use member or team_admin" + (admin ? " or admin" : ""));
    }
    if (problems.isEmpty()) {
      try {
        repositories.teams().ensureTeam(teamId);
        boolean created =
            repositories.users().createIfAbsent(username, encoder.encode(password), teamId, role);
        if (created) {
          audit.other(teamId, "user.create", "user:" + username + " role:" + role);
        }
        flash.addFlashAttribute(
            "flash",
            created
                ? "Created user " + username + " (" + role + ", team " + teamId + ")."
                : "User " + username + " exists already.");
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      flash.addFlashAttribute("flash", String.join("; ", problems));
    }
    return "redirect:/settings";
  }

  @PostMapping("/settings/tokens")
  String createToken(
      @AuthenticationPrincipal ConsoleUser user,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(required = false) List<String> scopes,
      Model model,
      RedirectAttributes flash) {
    List<String> chosen =
        scopes == null
            ? List.of()
            : scopes.stream().filter(ApiTokens.SCOPES::contains).sorted().toList();
    if (name.isBlank() || name.length() > 100 || chosen.isEmpty()) {
      flash.addFlashAttribute(
          "flash", "A token needs a name (at most 100 characters) and at least one scope.");
      return "redirect:/settings";
    }
    ApiTokens.NewToken t = ApiTokens.generate();
    repositories.tokens().create(t, user.teamId(), name.strip(), chosen, user.getUsername(), null);
    audit.other(user.teamId(), "token.create", "token:" + t.id());
    settings(user, model);
    model.addAttribute("newToken", Map.of("id", t.id(), "token", t.token(), "name", name.strip()));
    return "settings";
  }

  @PostMapping("/settings/tokens/{id}/revoke")
  String revoke(
      @AuthenticationPrincipal ConsoleUser user,
      @PathVariable String id,
      RedirectAttributes flash) {
    boolean done = repositories.tokens().revoke(user.scope(), id);
    verifier.evict(id);
    if (done) {
      audit.other(user.teamId(), "token.revoke", "token:" + id);
    }
    flash.addFlashAttribute("flash", done ? "Revoked token " + id + "." : "No such token.");
    return "redirect:/settings";
  }
}
