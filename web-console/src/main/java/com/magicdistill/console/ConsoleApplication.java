package com.magicdistill.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The MagicDistill console and REST API: a Temporal client and a PostgreSQL reader configured from
 * the same {@code MAGIC_*} settings as the workers, plus {@code MAGIC_CONSOLE_ADDRESS} (127.0.0.1)
 * and {@code MAGIC_CONSOLE_PORT} (8080). Started by {@code ./magic console} and {@code ./magic up}.
 */
@SpringBootApplication
@EnableScheduling
public class ConsoleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ConsoleApplication.class, args);
  }
}
