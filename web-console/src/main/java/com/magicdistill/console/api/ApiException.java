package com.magicdistill.console.api;

import java.util.List;
import java.util.Map;

/**
 * An answer other than success, rendered as RFC 9457 problem+json by {@link ProblemHandler}.
 *
 * @param slug the problem type ({@code /problems/<slug>})
 * @param headers extra response headers (Retry-After)
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String slug;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;

  public ApiException(
      int status,
      String slug,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  public static ApiException notFound(String what) {
    return new ApiException(
        404, "not-found", "Not found", what + " does not exist", List.of(), Map.of());
  }

  public static ApiException badRequest(List<FieldError> errors) {
    return new ApiException(
        400,
        "invalid-request",
        "The request is invalid",
        errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid",
        errors,
        Map.of());
  }

  public static ApiException badParameter(String field, Object value, String message) {
    return badRequest(List.of(new FieldError(field, value, message)));
  }

  public static ApiException invalidSpec(List<FieldError> errors) {
    return new ApiException(
        400,
        "invalid-run-spec",
        "The run spec is invalid",
        errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid",
        errors,
        Map.of());
  }

  public static ApiException conflict(String slug, String title, String detail) {
    return new ApiException(409, slug, title, detail, List.of(), Map.of());
  }

  public static ApiException temporalUnavailable() {
    return new ApiException(
        503,
        "temporal-unavailable",
        "Temporal is unavailable",
        "the workflow service did not answer or does not know the run yet (it is re-submitted"
            + " shortly); retry later",
        List.of(),
        Map.of("Retry-After", "10"));
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
