package com.magicdistill.platform;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A local S3 server for tests and single-machine runs: S3Proxy with its filesystem backend, run as
 * a child process ({@code java -jar s3proxy.jar --properties <file>}).
 *
 * <p>S3Proxy bundles libraries that clash with ours, so its jar is only on the child's classpath
 * (with this code for {@link S3ProxyChildMain}): the build copies it to {@code
 * platform/target/services/s3proxy.jar} and {@link #locateJar()} finds it.
 *
 * <p>Layout of {@code dataDir}: {@code s3proxy.properties}, {@code s3proxy.log} (appended across
 * restarts), {@code s3proxy.pid} (while it runs) and {@code blobs/} (one directory per bucket). The
 * data persists across {@link #restart()} and across servers started on the same directory. The
 * server listens on 127.0.0.1 only and checks AWS v2/v4 signatures against the given identity and
 * credential.
 *
 * <p>The child exits when the JVM that started it ends, even by SIGKILL ({@link S3ProxyChildMain});
 * a server still left on the data directory by a killed process is stopped before a new one starts
 * ({@link S3ProxyOrphans}).
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The S3Proxy version the build copies; keep in step with {@code s3proxy.version} in pom.xml. */
  public static final String VERSION = "4.1.0";

  public static final String JAR_PROPERTY = "magic.s3proxy.jar";
  public static final String JAR_ENV = "MAGIC_S3PROXY_JAR";

  /** How long {@link #start} waits for the port to answer. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final String HOST = "127.0.0.1";

  private final Path dataDir;
  private final int port;
  private final Path jar;
  private final Path properties;
  private final Path log;
  private final boolean dieWithParent;
  private Process process;
  private Thread shutdownHook;

  private S3ProxyServer(Path dataDir, int port, Path jar, boolean dieWithParent) {
    this.dataDir = dataDir;
    this.port = port;
    this.jar = jar;
    this.dieWithParent = dieWithParent;
    this.properties = dataDir.resolve("s3proxy.properties");
    this.log = dataDir.resolve("s3proxy.log");
  }

  /**
   * Starts S3Proxy on {@code 127.0.0.1:port} with its data in {@code dataDir} (created if needed)
   * and waits until the port answers.
   *
   * @param identity the access key clients must sign with
   * @param credential the secret key clients must sign with
   * @param jar the S3Proxy jar-with-dependencies (see {@link #locateJar()})
   * @throws IOException if another program holds the port, a running process serves {@code
   *     dataDir}, or the server exits or does not answer within {@link #START_TIMEOUT} (the message
   *     carries the tail of its log)
   */
  public static S3ProxyServer start(
      Path dataDir, int port, String identity, String credential, Path jar) throws IOException {
    return start(dataDir, port, identity, credential, jar, true);
  }

  /** With {@code dieWithParent} false the child outlives a killed JVM (tests make orphans so). */
  static S3ProxyServer start(
      Path dataDir, int port, String identity, String credential, Path jar, boolean dieWithParent)
      throws IOException {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port is " + port + ": use 1-65535");
    }
    if (identity == null || identity.isBlank() || credential == null || credential.isBlank()) {
      throw new IllegalArgumentException(
          "S3Proxy identity and credential must be non-empty (they become the access and secret"
              + " key)");
    }
    if (!Files.isRegularFile(jar)) {
      throw new IOException("S3Proxy jar " + jar + " does not exist; " + howToGetJar());
    }
    Path dir = Files.createDirectories(dataDir).toAbsolutePath();
    Path blobs = Files.createDirectories(dir.resolve("blobs"));
    S3ProxyServer server = new S3ProxyServer(dir, port, jar.toAbsolutePath(), dieWithParent);
    OwnerOnlyFiles.write( // holds the secret key
        server.properties,
        String.join(
            "\n",
            "s3proxy.endpoint=" + server.endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + identity,
            "s3proxy.credential=" + credential,
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + blobs,
            ""));
    server.launch();
    return server;
  }

  /** {@link #start(Path, int, String, String, Path)} with the jar found by {@link #locateJar()}. */
  public static S3ProxyServer start(Path dataDir, int port, String identity, String credential)
      throws IOException {
    return start(dataDir, port, identity, credential, locateJar());
  }

  /** A TCP port on 127.0.0.1 that is free right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://" + HOST + ":" + port;
  }

  /** The port it listens on (the same across restarts). */
  public int port() {
    return port;
  }

  /** The data directory (properties, log, {@code blobs/}). */
  public Path dataDir() {
    return dataDir;
  }

  /** The server's stdout and stderr, appended across restarts. */
  public Path logFile() {
    return log;
  }

  /** Whether the child process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits until the port is closed. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
    S3ProxyOrphans.forget(dataDir);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
    shutdownHook = null;
  }

  /** Stops the server if it runs and starts it again on the same port and data. */
  public synchronized void restart() throws IOException {
    stop();
    launch();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "S3ProxyServer(" + endpoint() + ", " + dataDir + (isRunning() ? "" : ", stopped") + ")";
  }

  private synchronized void launch() throws IOException {
    S3ProxyOrphans.stopLeftovers(dataDir, properties, false);
    if (answers(port)) {
      // an S3Proxy started before the pid file existed is found by its command line
      S3ProxyOrphans.stopLeftovers(dataDir, properties, true);
    }
    if (answers(port)) {
      throw new IOException(
          "cannot start S3Proxy on "
              + endpoint()
              + ": another program listens on port "
              + port
              + "; stop it, or set MAGIC_S3_ENDPOINT to an S3 server of your own (./magic up then"
              + " starts none)");
    }
    ProcessBuilder pb =
        new ProcessBuilder(command())
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    Process started = process;
    shutdownHook = new Thread(started::destroyForcibly, "s3proxy-stop-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      S3ProxyOrphans.record(dataDir, started.toHandle());
    } catch (IOException e) {
      stop();
      throw e;
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answers(port)) {
      if (!started.isAlive()) {
        int code = started.exitValue();
        stop();
        throw new IOException(
            "S3Proxy exited with code " + code + " before answering on " + endpoint() + logTail());
      }
      if (System.nanoTime() > deadline) {
        stop();
        throw new IOException(
            "S3Proxy did not answer on "
                + endpoint()
                + " within "
                + START_TIMEOUT.toSeconds()
                + " s"
                + logTail());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        stop();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting S3Proxy on " + endpoint(), e);
      }
    }
  }

  /**
   * {@code java -cp <s3proxy.jar>:<this code> S3ProxyChildMain <our pid> <S3Proxy main>
   * --properties <file>}; plain {@code java -jar} when this code's location or S3Proxy's main class
   * is unknown.
   */
  private List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    Optional<Path> code = codeLocation();
    Optional<String> main = dieWithParent ? mainClass(jar) : Optional.empty();
    if (code.isPresent() && main.isPresent()) {
      cmd.addAll(
          List.of(
              "-cp",
              jar + java.io.File.pathSeparator + code.get(),
              S3ProxyChildMain.class.getName(),
              Long.toString(ProcessHandle.current().pid()),
              main.get()));
    } else {
      cmd.addAll(List.of("-jar", jar.toString()));
    }
    cmd.addAll(List.of("--properties", properties.toString()));
    return cmd;
  }

  private static Optional<String> mainClass(Path jar) {
    try (JarFile f = new JarFile(jar.toFile())) {
      Manifest m = f.getManifest();
      return Optional.ofNullable(m == null ? null : m.getMainAttributes().getValue("Main-Class"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The last ~4 KB of the log, for error messages. */
  private String logTail() {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - 4096);
      byte[] tail = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(tail);
      return "; tail of " + log + ":\n" + new String(tail, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "; no log at " + log;
    }
  }

  /**
   * Finds the S3Proxy jar-with-dependencies, first match wins: the system property {@value
   * #JAR_PROPERTY}; the environment variable {@value #JAR_ENV}; {@code
   * platform/target/services/s3proxy.jar} under the working directory or one of its parents; {@code
   * services/s3proxy.jar} next to, or one level above, the jar (or classes directory) that holds
   * this class (e.g. {@code cli/target/services/}); the local Maven repository.
   *
   * @throws IOException saying how to get the jar when there is none, or when the property or
   *     variable names a file that does not exist
   */
  public static Path locateJar() throws IOException {
    return locateJar(
        System.getProperty(JAR_PROPERTY),
        System.getenv(JAR_ENV),
        Paths.get("").toAbsolutePath(),
        codeLocation(),
        Paths.get(System.getProperty("user.home")));
  }

  /** {@link #locateJar()} with every input explicit (null: not set), for tests. */
  static Path locateJar(
      String property, String env, Path workingDir, Optional<Path> codeLocation, Path home)
      throws IOException {
    for (String[] explicit :
        List.of(new String[] {property, "-D" + JAR_PROPERTY}, new String[] {env, JAR_ENV})) {
      if (explicit[0] != null && !explicit[0].isBlank()) {
        Path p = Paths.get(explicit[0].strip());
        if (!Files.isRegularFile(p)) {
          throw new IOException(
              explicit[1] + " names " + p + ", which does not exist; " + howToGetJar());
        }
        return p;
      }
    }
    List<Path> candidates = new ArrayList<>();
    for (Path d = workingDir; d != null; d = d.getParent()) {
      candidates.add(d.resolve("platform/target/services/s3proxy.jar"));
    }
    codeLocation.ifPresent(
        code -> {
          Path dir = code.getParent();
          if (dir != null) {
            candidates.add(dir.resolve("services/s3proxy.jar"));
            candidates.add(dir.resolveSibling("services").resolve("s3proxy.jar"));
          }
        });
    candidates.add(
        home.resolve(
            ".m2/repository/org/gaul/s3proxy/"
                + VERSION
                + "/s3proxy-"
                + VERSION
                + "-jar-with-dependencies.jar"));
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c.normalize();
      }
    }
    throw new IOException("no S3Proxy jar found (looked at " + candidates + "); " + howToGetJar());
  }

  private static String howToGetJar() {
    return "build it with `mvn -pl platform process-resources` (copies it to"
        + " platform/target/services/s3proxy.jar) or point -D"
        + JAR_PROPERTY
        + " or "
        + JAR_ENV
        + " at org.gaul:s3proxy:"
        + VERSION
        + ":jar-with-dependencies";
  }

  /** The jar or classes directory this class was loaded from, if known. */
  private static Optional<Path> codeLocation() {
    try {
      var source = S3ProxyServer.class.getProtectionDomain().getCodeSource();
      return source == null
          ? Optional.empty()
          : Optional.of(Paths.get(source.getLocation().toURI()).toAbsolutePath());
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
