package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@link S3ProxyServer#locateJar()} looks, in order (the server itself: S3ObjectStoreTest).
 */
class S3ProxyServerTest {

  @Test
  void locatesTheJarInOrder(@TempDir Path dir) throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path work = Files.createDirectories(dir.resolve("repo/activities"));
    Path cliJar = touch(dir.resolve("repo/cli/target/magic-cli.jar"));
    Path none = dir.resolve("nowhere");

    IOException missing =
        assertThrows(
            IOException.class,
            () -> S3ProxyServer.locateJar(null, null, work, Optional.empty(), home));
    assertTrue(missing.getMessage().contains("mvn -pl platform process-resources"));

    Path m2 =
        touch(
            home.resolve(
                ".m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar"));
    assertEquals(m2, S3ProxyServer.locateJar(null, null, work, Optional.empty(), home));

    Path nextToCli = touch(dir.resolve("repo/cli/target/services/s3proxy.jar"));
    assertEquals(nextToCli, S3ProxyServer.locateJar(null, null, none, Optional.of(cliJar), home));
    Path lib = touch(dir.resolve("dist/lib/magic-cli.jar"));
    Path aboveLib = touch(dir.resolve("dist/services/s3proxy.jar"));
    assertEquals(aboveLib, S3ProxyServer.locateJar(null, null, none, Optional.of(lib), home));

    Path built = touch(dir.resolve("repo/platform/target/services/s3proxy.jar"));
    assertEquals(built, S3ProxyServer.locateJar(null, null, work, Optional.of(cliJar), home));

    Path fromEnv = touch(dir.resolve("env.jar"));
    assertEquals(
        fromEnv, S3ProxyServer.locateJar(null, fromEnv.toString(), work, Optional.empty(), home));
    Path fromProperty = touch(dir.resolve("prop.jar"));
    assertEquals(
        fromProperty,
        S3ProxyServer.locateJar(
            fromProperty.toString(), fromEnv.toString(), work, Optional.empty(), home));
    IOException wrong =
        assertThrows(
            IOException.class,
            () -> S3ProxyServer.locateJar(none.toString(), null, work, Optional.empty(), home));
    assertTrue(wrong.getMessage().contains("magic.s3proxy.jar"), wrong.getMessage());
  }

  private static Path touch(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.write(p, new byte[1]);
  }
}
