package com.magicdistill.console.pages;

import com.magicdistill.console.auth.ConsoleUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The logged-in user ({@code me}) on every page, and the one-shot message of an htmx action (which
 * answers HX-Redirect, so no flash map).
 */
@ControllerAdvice(annotations = Controller.class)
public class PageModelAdvice {
  @ModelAttribute("me")
  ConsoleUser me(@AuthenticationPrincipal ConsoleUser user) {
    return user;
  }

  @ModelAttribute("flash")
  String flash(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return null;
    }
    Object m = session.getAttribute("flashMessage");
    session.removeAttribute("flashMessage");
    return m == null ? null : m.toString();
  }
}
