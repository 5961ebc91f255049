package com.magicdistill.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;

/** The console's entry pages: login and the start page. */
@Controller
public class PagesController {
  @GetMapping("/")
  String home() {
    return "redirect:/runs";
  }

  @GetMapping("/login")
  String login() {
    return "login";
  }

  /** Where a throttled login attempt is forwarded (the status is already 429). */
  @RequestMapping("/login/throttled")
  String loginThrottled(
      @RequestAttribute(name = "loginWaitSeconds", required = false) Long wait, Model model) {
    model.addAttribute("loginWaitSeconds", wait == null ? 60 : wait);
    return "login";
  }
}
