package com.magicdistill.console.auth;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.api.FieldError;
import com.magicdistill.console.audit.AuditLog;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.UserRepository.UserRow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/users}: the console users of the token's team (scope users:manage): list, create
 * with a role, change the role, disable or enable. Roles member and team_admin; the admin role (all
 * teams) and admin users are managed in the console by an admin, not with a team token.
 */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users")
public class UsersApiController {
  static final Set<String> ROLES = Set.of("member", "team_admin");
  private static final String USERNAME = "[A-Za-z0-9._-]{2,64}";

  /** A user as the API shows it (never a password hash). */
  public record UserView(
      String username, String teamId, String role, Instant createdAt, Instant disabledAt) {}

  /** A user to create. */
  public record NewUser(
      @Schema(description = "2-64 letters, digits, '.', '_' or '-'") String username,
      @Schema(description = "at least 10 characters; stored as a BCrypt hash") String password,
      @Schema(description = "member or team_admin") String role) {}

  /** What to change; absent fields stay as they are. */
  public record UserChange(
      @Schema(description = "member or team_admin") String role,
      @Schema(description = "true disables the user (no more logins), false enables it")
          Boolean disabled) {}

  private final ConsoleRepositories repositories;
  private final PasswordEncoder encoder;
  private final AuditLog audit;

  public UsersApiController(
      ConsoleRepositories repositories, PasswordEncoder encoder, AuditLog audit) {
    this.repositories = repositories;
    this.encoder = encoder;
    this.audit = audit;
  }

  @GetMapping
  @Operation(operationId = "listUsers", summary = "The team's console users")
  public List<UserView> list(@AuthenticationPrincipal ApiCaller caller) {
    return repositories.users().list(caller.scope()).stream()
        .map(UsersApiController::view)
        .toList();
  }

  @PostMapping
  @Operation(operationId = "createUser", summary = "Create a console user of the team (201)")
  public ResponseEntity<UserView> create(
      @AuthenticationPrincipal ApiCaller caller, @RequestBody NewUser request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.username() == null || !request.username().matches(USERNAME)) {
      errors.add(new FieldError("username", null, "use 2-64 letters, digits, '.', '_' or '-'"));
    }
    if (request.password() == null || request.password().length() < 10) {
      errors.add(new FieldError("password", null, "use at least 10 characters"));
    } else if (request.password().length() > 72) {
      errors.add(new FieldError("password", null, "use at most 72 characters"));
    }
    checkRole(request.role(), errors);
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    if (!repositories
        .users()
        .createIfAbsent(
            request.username(),
            encoder.encode(request.password()),
            caller.teamId(),
            request.role())) {
      throw ApiException.conflict("user-exists", "The user name is taken", "pick another username");
    }
    audit.other(
        caller.teamId(), "user.create", "user:" + request.username() + " role:" + request.role());
    return ResponseEntity.created(URI.create("/api/v1/users/" + request.username()))
        .body(view(find(caller, request.username())));
  }

  @PatchMapping("/{username}")
  @Operation(
      operationId = "updateUser",
      summary = "Change a user's role, or disable or enable the user")
  public UserView update(
      @AuthenticationPrincipal ApiCaller caller,
      @PathVariable String username,
      @RequestBody UserChange change) {
    UserRow user = find(caller, username);
    List<FieldError> errors = new ArrayList<>();
    if (change.role() != null) {
      checkRole(change.role(), errors);
    }
    if (change.role() == null && change.disabled() == null) {
      errors.add(new FieldError("role", null, "send role, disabled or both"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    if ("admin".equals(user.role())) {
      throw ApiException.conflict(
          "user-is-admin",
          "An admin is managed in the console",
          "user " + username + " is an admin: an admin changes it in the console's settings");
    }
    if (change.role() != null && !change.role().equals(user.role())) {
      repositories.users().setRole(caller.scope(), username, change.role());
      audit.other(caller.teamId(), "user.role", "user:" + username + " role:" + change.role());
    }
    if (change.disabled() != null && change.disabled() != (user.disabledAt() != null)) {
      repositories.users().setDisabled(caller.scope(), username, change.disabled());
      audit.other(
          caller.teamId(), change.disabled() ? "user.disable" : "user.enable", "user:" + username);
    }
    return view(find(caller, username));
  }

  private static void checkRole(String role, List<FieldError> errors) {
    if (role == null || !ROLES.contains(role)) {
      errors.add(
          new FieldError(
              "role",
              role == null || role.length() > 20 ? null : role,
              "use member or team_admin (an admin grants admin in the console)"));
    }
  }

  private UserRow find(ApiCaller caller, String username) {
    if (username == null || !username.matches(USERNAME)) {
      throw ApiException.notFound("user");
    }
    return repositories
        .users()
        .find(caller.scope(), username)
        .orElseThrow(() -> ApiException.notFound("user " + username));
  }

  static UserView view(UserRow u) {
    return new UserView(u.username(), u.teamId(), u.role(), u.createdAt(), u.disabledAt());
  }
}
