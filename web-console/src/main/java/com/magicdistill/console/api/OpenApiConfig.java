package com.magicdistill.console.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header: title, version, bearer team tokens (docs/api/openapi.json). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
  @Bean
  OpenAPI magicDistillApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("MagicDistill API")
                .version("v1")
                .description(
                    "Launch, watch and compare distillation runs and fetch exported models."
                        + " Authenticate with a team token: Authorization: Bearer mdt_..."
                        + " (./magic token create). Errors are RFC 9457 problem+json."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "teamToken",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("mdt_<id>_<secret>")))
        .addSecurityItem(new SecurityRequirement().addList("teamToken"));
  }
}
