package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.magicdistill.console.ConsoleApplication;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.console.platform.TemporalRunControl;
import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.video.GifWriter;
import com.magicdistill.engine.video.Mp4Writer;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.RunStatus;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The console in a real browser (Debian chromium + chromium-driver) on the embedded stack with one
 * worker JVM: log in, launch a small run from the form (an inline field error first; "queue gpu has
 * no workers" until the worker starts), pause and resume it, watch it finish live without a reload,
 * its charts, a sample clip that plays, the evaluation table; a second run from the form that
 * reuses the first one's stages, compare the two, rerun and cancel with a reason. Screenshots go to
 * target/screenshots ({@code -Dscreenshots.update=true} also copies them to docs/screenshots).
 * Without the browser it skips locally and fails on CI ({@code CI=true}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final String A = "ui-run-a";
  static final String B = "ui-run-b";

  private PipelineHarness h;
  private ConfigurableApplicationContext console;
  private WebDriver driver;
  private String base;
  private Path home;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String why =
          "needs " + BROWSER + " and " + DRIVER + ": apt-get install chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    home = dir;
    h = new PipelineHarness(dir);
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    ConsoleBackends backends =
        new ConsoleBackends(
            h.connections.dataSource(),
            h.connections.store(),
            new TemporalRunControl(h.connections.pipeline()),
            dir,
            h.connections.config().worker().codeVersion());
    console =
        new SpringApplicationBuilder(ConsoleApplication.class)
            .initializers(
                ctx ->
                    ((GenericApplicationContext) ctx)
                        .registerBean(ConsoleBackends.class, () -> backends))
            // arguments outrank application.yml's MAGIC_CONSOLE_PORT default (8080)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--console.platform.enabled=false",
                // the embedded Temporal server counts no pollers: the notice waits this long
                "--console.runs.queued-grace-seconds=3",
                "--spring.main.banner-mode=off");
    base = "http://127.0.0.1:" + console.getEnvironment().getProperty("local.server.port");
    ChromeOptions o = new ChromeOptions().setBinary(BROWSER.toFile());
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1440,900",
        "--autoplay-policy=no-user-gesture-required",
        "--force-device-scale-factor=1");
    driver =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), o);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (h != null) {
      h.cancelInFlight();
    }
    if (console != null) {
      console.close();
    }
    if (h != null) {
      h.close();
    }
  }

  @Test
  void launchWatchPlayCompareAndControlRunsFromTheBrowser() throws Exception {
    logIn();

    // The launch form: a field error inline, live, from the spec's own rule.
    driver.get(base + "/runs/new");
    set("distill.alphaWeak", "2");
    waitFor(
        20,
        "the inline error of distill.alphaWeak",
        () -> text(By.id("err-distill-alphaWeak")).contains("alphaStrong"));
    shot("launch-form-error");
    set("runId", A);
    set("name", "console smoke A");
    set("distill.alphaWeak", "0.25");
    set("fineTune.baseSteps", "12");
    set("fineTune.steps", "8");
    set("distill.dmdIterations", "2");
    set("distill.w2sIterations", "4");
    set("evaluate.heldOutClips", "2");
    set("evaluate.sampleClips", "2");
    set("evaluate.bootstrapResamples", "100");
    set("checkpoints.everySteps", "4");
    set("heartbeatSeconds", "4");
    new Select(testid("field-useCache")).selectByValue("false");
    waitFor(
        20,
        "the form to be valid",
        () -> !driver.findElements(By.cssSelector("[data-testid='launch-valid']")).isEmpty());
    testid("launch-submit").click();
    waitFor(20, "the run page", () -> driver.getCurrentUrl().endsWith("/runs/" + A));

    // No worker polls yet: the page says so; then one starts and the run goes.
    waitFor(
        90,
        "the no-workers notice",
        () ->
            text(By.cssSelector("[data-testid='queue-notice']"))
                .contains("queue gpu has no workers"));
    shot("run-no-workers");
    h.startWorker("w-console");
    waitFor(120, "the run to be RUNNING", () -> liveStatus().equals("RUNNING"));
    testid("action-pause").click();
    waitFor(180, "the run to be PAUSED", () -> liveStatus().equals("PAUSED"));
    shot("run-paused");
    testid("action-resume").click();
    waitFor(
        60,
        "the run to leave PAUSED",
        () -> !liveStatus().equals("PAUSED") && !liveStatus().isEmpty());

    // Watch it finish without reloading: a marker set now survives only if the page stays.
    js("window.__stayed = true;");
    waitFor(
        60,
        "a stage card to show progress",
        () ->
            !driver.findElements(By.cssSelector("[data-testid='stage-card'].RUNNING")).isEmpty()
                || liveStatus().equals("SUCCEEDED"));
    shot("run-live");
    waitFor(
        600,
        "run A to succeed",
        () -> liveStatus().equals("SUCCEEDED") || h.status(A).isTerminal());
    waitFor(10, "the live panel to show SUCCEEDED", () -> liveStatus().equals("SUCCEEDED"));
    assertEquals(
        Boolean.TRUE,
        js("return window.__stayed === true;"),
        "the page reloaded instead of updating live");
    shot("run-succeeded");

    // Charts, drawn by uPlot from downsampled series.
    testid("tab-metrics").click();
    waitFor(
        20,
        "a chart with points",
        () ->
            !driver
                .findElements(By.cssSelector("[data-testid='chart'][data-points] canvas"))
                .isEmpty());
    shot("run-metrics");

    // Samples: the evaluate stage's clips, or (before that feature) one written with Mp4Writer.
    boolean written = ensureSampleClip(A);
    System.out.println(
        "ConsoleBrowserTest: sample clip "
            + (written ? "written by the test with Mp4Writer" : "from the evaluate stage"));
    testid("tab-samples").click();
    WebElement video = waitForElement(20, By.cssSelector("video[data-testid='sample-video']"));
    waitFor(
        20,
        "the clip to load",
        () -> ((Number) js("return arguments[0].readyState;", video)).intValue() >= 2);
    double t0 = ((Number) js("return arguments[0].currentTime;", video)).doubleValue();
    waitFor(
        10,
        "the clip to play",
        () -> ((Number) js("return arguments[0].currentTime;", video)).doubleValue() != t0);
    assertEquals(Boolean.FALSE, js("return arguments[0].paused;", video));
    shot("run-samples");

    testid("tab-evaluation").click();
    waitForElement(
        10, By.cssSelector("[data-testid='eval-table'] tr[data-method='exported_w2s4']"));
    shot("run-evaluation");

    // A second run from the form: reuses A's stages before w2s, with another alphaWeak.
    driver.get(base + "/runs/new?from=" + A + "&fromStage=w2s");
    assertEquals(A, testid("field-reuse.runId").getAttribute("value"));
    set("runId", B);
    set("name", "console smoke B (alphaWeak 0.5)");
    set("distill.alphaWeak", "0.5");
    waitFor(
        20,
        "the form to be valid",
        () -> !driver.findElements(By.cssSelector("[data-testid='launch-valid']")).isEmpty());
    testid("launch-submit").click();
    waitFor(20, "run B's page", () -> driver.getCurrentUrl().endsWith("/runs/" + B));
    waitFor(
        600,
        "run B to succeed",
        () -> liveStatus().equals("SUCCEEDED") || h.status(B).isTerminal());
    assertEquals(RunStatus.SUCCEEDED, h.status(B), h.log("w-console"));
    // The database can report B finished before the page's live view has caught up.
    waitFor(
        30,
        "run B's page to show its fine-tune stage REUSED",
        () -> text(By.cssSelector("[data-stage='fine-tune']")).contains("REUSED"));
    ensureSampleClip(B);

    // Compare the two from the runs list.
    driver.get(base + "/runs");
    shot("runs-list");
    testid("compare-pick-" + A).click();
    testid("compare-pick-" + B).click();
    testid("compare-selected").click();
    waitForElement(10, By.cssSelector("[data-testid='spec-diff']"));
    assertTrue(text(By.cssSelector("[data-testid='spec-diff']")).contains("distill.alphaWeak"));
    assertTrue(
        !driver.findElements(By.cssSelector("[data-testid='eval-table'] td.best")).isEmpty());
    waitFor(
        20,
        "an overlaid chart",
        () ->
            !driver
                .findElements(By.cssSelector("[data-testid='chart'][data-points] canvas"))
                .isEmpty());
    assertEquals(
        2,
        driver.findElements(By.cssSelector("video[data-testid='compare-video']")).size() >= 2
            ? 2
            : -1);
    shot("compare");

    // Rerun B from w2s with the button, then cancel it with a reason.
    driver.get(base + "/runs/" + B);
    new Select(testid("rerun-stage")).selectByValue("w2s");
    testid("action-rerun").click();
    waitFor(
        20,
        "the rerun's page",
        () ->
            !driver.getCurrentUrl().endsWith("/runs/" + B)
                && driver.getCurrentUrl().contains("/runs/r-"));
    String rerun = driver.getCurrentUrl().substring(driver.getCurrentUrl().lastIndexOf('/') + 1);
    waitFor(
        60,
        "the rerun to be in flight",
        () -> liveStatus().equals("RUNNING") || liveStatus().equals("QUEUED"));
    testid("action-cancel-open").click();
    // A live update arrives while the reason is typed: the dialog must stay open and keep it.
    WebElement panel = testid("live");
    testid("cancel-reason").sendKeys("browser test: cancel from the console");
    waitFor(30, "a live update of the stage cards", () -> isStale(panel));
    assertEquals(
        "browser test: cancel from the console", testid("cancel-reason").getAttribute("value"));
    testid("action-cancel").click();
    waitFor(120, "the rerun to be CANCELLED", () -> h.status(rerun) == RunStatus.CANCELLED);
    waitFor(20, "the page to show CANCELLED", () -> liveStatus().equals("CANCELLED"));
    shot("run-cancelled");

    driver.get(base + "/models");
    shot("models");
  }

  private void logIn() throws IOException, InterruptedException {
    String given = System.getenv("MAGIC_ADMIN_PASSWORD");
    String password =
        given != null && !given.isBlank()
            ? given
            : Files.readString(home.resolve("console-admin.txt")).strip();
    driver.get(base + "/runs");
    waitFor(20, "the login page", () -> driver.getCurrentUrl().contains("/login"));
    shot("login");
    testid("username").sendKeys("admin");
    testid("password").sendKeys(password);
    testid("login-submit").click();
    waitFor(20, "the runs page", () -> driver.getCurrentUrl().contains("/runs"));
  }

  /**
   * Writes one clip (MP4, GIF, first frame) under the run's samples unless the stage wrote some.
   */
  private boolean ensureSampleClip(String runId) throws IOException {
    ObjectStore store = h.connections.store();
    String prefix = "runs/" + runId + "/evaluate/samples/";
    if (!store.list(prefix).isEmpty()) {
      return false;
    }
    ClipShape shape = new ClipShape(16, 32, 32);
    float[] rgb = new float[16 * 32 * 32 * 3];
    for (int t = 0; t < 16; t++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          for (int c = 0; c < 3; c++) {
            double v = Math.sin((x + 2 * t) / 4.0 + c) * Math.cos((y - t) / 5.0);
            rgb[((t * 32 + y) * 32 + x) * 3 + c] = (float) v;
          }
        }
      }
    }
    Clip clip = new Clip("ui-sample", shape, rgb);
    Path dir = Files.createTempDirectory(home, "clip");
    Mp4Writer.write(clip, dir.resolve("clip-00.mp4"), 4, 8);
    GifWriter.write(clip, dir.resolve("clip-00.gif"), 4, 125);
    BufferedImage first = ImageIO.read(dir.resolve("clip-00.gif").toFile());
    ImageIO.write(first, "png", dir.resolve("first-00.png").toFile());
    // the evaluate stage's layout (workflows SampleFiles): clips per method, shared first frames
    store.put(prefix + "exported_w2s4/clip-00.mp4", dir.resolve("clip-00.mp4"));
    store.put(prefix + "exported_w2s4/clip-00.gif", dir.resolve("clip-00.gif"));
    store.put(prefix + "first-00.png", dir.resolve("first-00.png"));
    return true;
  }

  private String liveStatus() {
    try {
      return driver.findElement(By.cssSelector("[data-testid='live-status']")).getText().strip();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static boolean isStale(WebElement e) {
    try {
      e.isDisplayed();
      return false;
    } catch (StaleElementReferenceException gone) {
      return true;
    }
  }

  private WebElement testid(String id) {
    return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
  }

  private String text(By by) {
    try {
      return driver.findElement(by).getText();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void set(String field, String value) {
    WebElement e = testid("field-" + field);
    e.clear();
    e.sendKeys(value, Keys.TAB);
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private WebElement waitForElement(long seconds, By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds)).until(d -> d.findElement(by));
  }

  private void waitFor(long seconds, String what, java.util.function.BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      try {
        if (ok.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // a swap replaced the element between find and read: look again
      }
      if (System.nanoTime() > deadline) {
        shot("timeout");
        fail(
            "timed out after "
                + seconds
                + " s waiting for "
                + what
                + " on "
                + driver.getCurrentUrl());
      }
      Thread.sleep(250);
    }
  }

  private void shot(String name) {
    try {
      File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Path out = Path.of("target", "screenshots", name + ".png");
      Files.createDirectories(out.getParent());
      Files.copy(png.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
      if (Boolean.getBoolean("screenshots.update")) {
        Path docs = Path.of("..", "docs", "screenshots", name + ".png");
        Files.createDirectories(docs.getParent());
        Files.copy(png.toPath(), docs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("screenshot " + name + " failed: " + e);
    }
  }
}
