package com.magicdistill.console.auth;

import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.ConsoleRepositories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The first admin: user {@code admin} of team {@code default}, with {@code MAGIC_ADMIN_PASSWORD}
 * when set, else a one-time password kept in {@code $MAGIC_HOME/console-admin.txt} (owner-only) and
 * printed once when the output is a terminal. Nothing happens once an admin exists. The password
 * never goes to the log.
 */
@Component
public class AdminBootstrap implements ApplicationRunner {
  public static final String PASSWORD_VAR = "MAGIC_ADMIN_PASSWORD";
  public static final String USERNAME = "admin";
  public static final String FILE = "console-admin.txt";
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

  private final ConsoleRepositories repositories;
  private final PasswordEncoder encoder;
  private final ConsoleBackends backends;

  public AdminBootstrap(
      ConsoleRepositories repositories, PasswordEncoder encoder, ConsoleBackends backends) {
    this.repositories = repositories;
    this.encoder = encoder;
    this.backends = backends;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    if (repositories.users().countAdmins() > 0) {
      return;
    }
    String given = System.getenv(PASSWORD_VAR);
    boolean generated = given == null || given.isBlank();
    String password = generated ? oneTimePassword() : given;
    if (!repositories
        .users()
        .createIfAbsent(USERNAME, encoder.encode(password), "default", "admin")) {
      return;
    }
    if (generated) {
      Path file = backends.home().resolve(FILE);
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
      // Printed on a terminal only: when the output is piped (./magic up) it may be a log file.
      System.out.println(
          "Console admin created: log in as '"
              + USERNAME
              + "' with the one-time password "
              + (System.console() != null ? password + " (also in " + file + ")" : "in " + file));
      LOG.info("created the console admin with a one-time password (kept in {})", file);
    } else {
      LOG.info("created the console admin with the password from {}", PASSWORD_VAR);
    }
  }

  private static String oneTimePassword() {
    byte[] b = new byte[15];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
