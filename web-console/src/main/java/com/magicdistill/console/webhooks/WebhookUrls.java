package com.magicdistill.console.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which receiver URLs are allowed (no SSRF into the console's network): https to a public address;
 * plain http only to loopback and only with {@code console.webhooks.allow-loopback-http}.
 */
final class WebhookUrls {
  private WebhookUrls() {}

  /** Why {@code url} is refused, or empty when it is fine. */
  static Optional<String> problem(String url, boolean allowLoopbackHttp) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Optional.of("not a URL");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || url.length() > 2000) {
      return Optional.of("use https://host/path without user info");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      return Optional.of("the host does not resolve");
    }
    boolean loopback = true;
    boolean privateRange = false;
    for (InetAddress a : addresses) {
      loopback &= a.isLoopbackAddress();
      privateRange |=
          a.isLoopbackAddress()
              || a.isSiteLocalAddress()
              || a.isLinkLocalAddress()
              || a.isAnyLocalAddress()
              || a.isMulticastAddress();
    }
    if ("http".equals(uri.getScheme())) {
      return allowLoopbackHttp && loopback
          ? Optional.empty()
          : Optional.of("use https (plain http only to loopback, when the console allows it)");
    }
    if (!"https".equals(uri.getScheme())) {
      return Optional.of("use https");
    }
    if (privateRange && !(allowLoopbackHttp && loopback)) {
      return Optional.of("the host is a private, loopback or link-local address");
    }
    return Optional.empty();
  }
}
