package com.magicdistill.console.platform;

import com.magicdistill.platform.Connections;
import com.magicdistill.platform.PlatformConfig;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console's connections from the same {@code MAGIC_*} environment as the workers ({@code
 * PlatformConfig}): no Temporal worker, no engine. Off in tests ({@code
 * console.platform.enabled=false}), which supply {@link ConsoleBackends} themselves.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "console.platform.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class PlatformBeans {
  @Bean
  PlatformConfig platformConfig() {
    return PlatformConfig.fromEnv(System.getenv());
  }

  @Bean(destroyMethod = "close")
  Connections connections(PlatformConfig config) throws IOException {
    return new Connections(config);
  }

  @Bean
  ConsoleBackends consoleBackends(Connections c, PlatformConfig config) {
    return new ConsoleBackends(
        c.dataSource(),
        c.store(),
        new CachingRunControl(new TemporalRunControl(c.pipeline())),
        config.home(),
        config.worker().codeVersion());
  }
}
