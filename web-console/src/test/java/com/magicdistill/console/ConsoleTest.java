package com.magicdistill.console;

import com.magicdistill.console.platform.ConsoleBackends;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;

/**
 * Base of the console's Spring tests: one application context for all of them (same configuration),
 * on {@link ConsoleTestStack}.
 */
@SpringBootTest(
    classes = {ConsoleApplication.class, ConsoleTest.Backends.class},
    properties = {"console.platform.enabled=false", "console.tokens.cache-seconds=0"})
@AutoConfigureMockMvc
public abstract class ConsoleTest {
  @TestConfiguration(proxyBeanMethods = false)
  static class Backends {
    @Bean
    ConsoleBackends consoleBackends() {
      return ConsoleTestStack.get().backends();
    }
  }
}
