package com.magicdistill.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

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
}
