package com.magicdistill.console.auth;

import com.magicdistill.console.api.ApiException;
import com.magicdistill.console.api.FieldError;
import com.magicdistill.console.audit.AuditLog;
import com.magicdistill.console.platform.ConsoleRepositories;
import com.magicdistill.db.ApiTokenRepository.TokenRow;
import com.magicdistill.db.ApiTokens;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/tokens}: the team's API tokens (scope tokens:manage). */
@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "Tokens")
public class TokensApiController {
  private final ConsoleRepositories repositories;
  private final TokenVerifier verifier;
  private final AuditLog audit;

  public TokensApiController(
      ConsoleRepositories repositories, TokenVerifier verifier, AuditLog audit) {
    this.audit = audit;
    this.repositories = repositories;
    this.verifier = verifier;
  }

  /** A token as lists show it: never the secret. */
  public record TokenView(
      String id,
      String name,
      List<String> scopes,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      Instant revokedAt) {}

  /** A new token; {@code token} is shown this once. */
  public record CreatedToken(TokenView info, String token) {}

  /** What to create. */
  public record TokenRequest(
      @Schema(description = "a label, 1-100 characters") String name,
      @Schema(description = "a subset of the calling token's scopes") List<String> scopes,
      @Schema(description = "RFC 3339; absent = no expiry") Instant expiresAt) {}

  @GetMapping
  @Operation(operationId = "listTokens", summary = "The team's tokens (no secrets)")
  public List<TokenView> list(@AuthenticationPrincipal ApiCaller caller) {
    return repositories.tokens().list(caller.scope()).stream()
        .map(TokensApiController::view)
        .toList();
  }

  @PostMapping
  @Operation(
      operationId = "createToken",
      summary = "Create a token for the team; the token is in this answer only")
  public ResponseEntity<CreatedToken> create(
      @AuthenticationPrincipal ApiCaller caller, @RequestBody TokenRequest request) {
    List<String> scopes = request.scopes() == null ? List.of() : request.scopes();
    if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
      throw ApiException.badRequest(List.of(new FieldError("name", null, "use 1-100 characters")));
    }
    List<String> parsed;
    try {
      parsed = ApiTokens.parseScopes(String.join(",", scopes));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(List.of(new FieldError("scopes", null, e.getMessage())));
    }
    if (!caller.scopes().containsAll(parsed)) {
      throw ApiException.badRequest(
          List.of(
              new FieldError(
                  "scopes", null, "a token can only grant scopes it has: " + caller.scopes())));
    }
    if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
      throw ApiException.badRequest(
          List.of(new FieldError("expiresAt", request.expiresAt(), "use a time in the future")));
    }
    ApiTokens.NewToken token = ApiTokens.generate();
    TokenRow row =
        repositories
            .tokens()
            .create(
                token,
                caller.teamId(),
                request.name(),
                parsed,
                caller.createdBy(),
                request.expiresAt());
    audit.other(caller.teamId(), "token.create", "token:" + row.id());
    return ResponseEntity.created(URI.create("/api/v1/tokens/" + row.id()))
        .body(new CreatedToken(view(row), token.token()));
  }

  @DeleteMapping("/{tokenId}")
  @Operation(operationId = "revokeToken", summary = "Revoke one of the team's tokens (204)")
  public ResponseEntity<Void> revoke(
      @AuthenticationPrincipal ApiCaller caller, @PathVariable String tokenId) {
    if (!repositories.tokens().revoke(caller.scope(), tokenId)) {
      throw ApiException.notFound("token " + (tokenId.length() > 20 ? "?" : tokenId));
    }
    verifier.evict(tokenId);
    audit.other(caller.teamId(), "token.revoke", "token:" + tokenId);
    return ResponseEntity.noContent().build();
  }

  static TokenView view(TokenRow t) {
    return new TokenView(
        t.id(),
        t.name(),
        t.scopes(),
        t.createdBy(),
        t.createdAt(),
        t.expiresAt(),
        t.lastUsedAt(),
        t.revokedAt());
  }
}
