package com.magicdistill.console.api;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every API error as RFC 9457 problem+json: {@code type} {@code /problems/<slug>}, {@code title},
 * {@code status}, {@code detail}, {@code instance}, {@code requestId} and, for bad input, {@code
 * errors[]} naming each field. Bad input is a 4xx; a 5xx is only ever a fault of the console.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
public class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Object> api(ApiException e, HttpServletRequest request) {
    ProblemDetail p =
        ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
    p.setType(URI.create(Problems.type(e.slug())));
    p.setTitle(e.title());
    if (!e.errors().isEmpty()) {
      p.setProperty("errors", e.errors());
    }
    HttpHeaders headers = new HttpHeaders();
    e.headers().forEach(headers::add);
    return respond(p, headers, request.getRequestURI());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Object> typeMismatch(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return api(
        ApiException.badParameter(
            e.getName(),
            String.valueOf(e.getValue()),
            "use a "
                + (e.getRequiredType() == null
                    ? "valid value"
                    : e.getRequiredType().getSimpleName())),
        request);
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<Object> missingHeader(
      MissingRequestHeaderException e, HttpServletRequest request) {
    return api(ApiException.badParameter(e.getHeaderName(), null, "send this header"), request);
  }

  @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
  ResponseEntity<Object> rejected(Exception e, HttpServletRequest request) {
    return api(
        new ApiException(
            400,
            "invalid-request",
            "The request is invalid",
            "a header or the path holds characters that are not allowed",
            List.of(),
            Map.of()),
        request);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Object> illegalArgument(IllegalArgumentException e, HttpServletRequest request) {
    return api(
        new ApiException(
            400,
            "invalid-request",
            "The request is invalid",
            e.getMessage() == null ? "invalid input" : e.getMessage(),
            List.of(),
            Map.of()),
        request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
    LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
    return api(
        new ApiException(
            500,
            "internal",
            "Internal error",
            "the console failed; the request id names it in the console's log",
            List.of(),
            Map.of()),
        request);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldError> errors = new ArrayList<>();
    Throwable cause = ex.getMostSpecificCause();
    for (Throwable c = ex.getCause(); c != null; c = c.getCause()) {
      if (c instanceof DatabindException) {
        cause = c;
        break;
      }
    }
    String detail;
    if (cause instanceof UnrecognizedPropertyException u) {
      String path = path(u);
      errors.add(
          new FieldError(path, null, "unknown field: remove it (see docs/api/openapi.json)"));
      detail = "unknown field " + path;
    } else if (cause instanceof DatabindException d && !d.getPath().isEmpty()) {
      String path = path(d);
      errors.add(new FieldError(path, null, "wrong type or unreadable value"));
      detail = "field " + path + " has the wrong type";
    } else {
      detail = "the body is not valid JSON for this request";
    }
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    p.setType(URI.create(Problems.type("invalid-request")));
    p.setTitle("The request is invalid");
    if (!errors.isEmpty()) {
      p.setProperty("errors", errors);
    }
    return respond(p, headers, uri(request));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return handleExceptionInternal(ex, null, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail p =
        body instanceof ProblemDetail given
            ? given
            : ProblemDetail.forStatusAndDetail(status, status.toString());
    String slug =
        switch (status.value()) {
          case 404 -> "not-found";
          case 405 -> "method-not-allowed";
          case 406 -> "not-acceptable";
          case 413 -> "too-large";
          case 415 -> "unsupported-media-type";
          default -> status.is4xxClientError() ? "invalid-request" : "internal";
        };
    p.setType(URI.create(Problems.type(slug)));
    if (status.value() == 404) {
      p.setDetail("no such resource");
    }
    return respond(p, headers, uri(request));
  }

  private static String uri(WebRequest request) {
    String d = request.getDescription(false);
    return d.startsWith("uri=") ? d.substring(4) : d;
  }

  private static ResponseEntity<Object> respond(
      ProblemDetail p, HttpHeaders headers, String instance) {
    p.setInstance(URI.create(safeUri(instance)));
    String requestId = MDC.get(RequestIds.MDC_KEY);
    if (requestId != null) {
      p.setProperty("requestId", requestId);
    }
    HttpHeaders h = new HttpHeaders();
    if (headers != null) {
      h.addAll(headers);
    }
    h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return ResponseEntity.status(p.getStatus()).headers(h).body(p);
  }

  /** The request path as a URI even when it holds characters a URI may not. */
  private static String safeUri(String path) {
    try {
      return URI.create(path).toString();
    } catch (IllegalArgumentException e) {
      return URI.create("about:blank").toString();
    }
  }

  static String path(DatabindException e) {
    StringBuilder b = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        b.append('[').append(ref.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? "(body)" : b.toString();
  }
}
