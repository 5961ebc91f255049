package com.magicdistill.console.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The repositories over whichever {@link ConsoleBackends} is in use. */
@Configuration(proxyBeanMethods = false)
public class RepositoryBeans {
  @Bean
  ConsoleRepositories consoleRepositories(ConsoleBackends backends) {
    return ConsoleRepositories.of(backends.dataSource());
  }
}
