package com.magicdistill.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.workflows.StageHeartbeat;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Against a Temporal server: the stage interceptor sees what a real activity heartbeats, and
 * Temporal's SDK metrics reach the Prometheus registry under the names the chart's KEDA query uses.
 */
@Timeout(120)
class TemporalMetricsTest {
  @ActivityInterface
  public interface Probe {
    String beat();
  }

  public static final class ProbeImpl implements Probe {
    @Override
    public String beat() {
      Activity.getExecutionContext().heartbeat(new StageHeartbeat(5, 10, null, 0, 1.0, 2.5));
      Activity.getExecutionContext().heartbeat(new StageHeartbeat(9, 10, null, 0, 0.8, 3.0));
      return "ok";
    }
  }

  @WorkflowInterface
  public interface ProbeWorkflow {
    @WorkflowMethod
    String run();
  }

  public static final class ProbeWorkflowImpl implements ProbeWorkflow {
    @Override
    public String run() {
      return Workflow.newActivityStub(
              Probe.class,
              ActivityOptions.newBuilder()
                  .setTaskQueue("gpu")
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .build())
          .beat();
    }
  }

  @Test
  void stageAndSdkMetricsAppear() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Scope scope = Connections.temporalMetrics(registry, 1);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(port)) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + port)
                  .setMetricsScope(scope)
                  .build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      StageMetrics stages = new StageMetrics(registry, 1, Duration.ofMinutes(30));
      WorkerFactory factory =
          WorkerFactory.newInstance(
              client, WorkerFactoryOptions.newBuilder().setWorkerInterceptors(stages).build());
      factory.newWorker("probe-wf").registerWorkflowImplementationTypes(ProbeWorkflowImpl.class);
      factory.newWorker("gpu").registerActivitiesImplementations(new ProbeImpl());
      factory.start();
      try {
        String out =
            client
                .newWorkflowStub(
                    ProbeWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue("probe-wf").build())
                .run();
        assertEquals("ok", out);
        assertEquals(4, registry.get("magicdistill.stage.steps").counter().count());
        assertEquals(
            1,
            registry
                .get("magicdistill.stage.attempts")
                .tag("outcome", "succeeded")
                .counter()
                .count());

        String scrape = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline
            && !scrape.matches(
                "(?s).*temporal_worker_task_slots_used\\{[^}]*task_queue=\"gpu\".*")) {
          Thread.sleep(500);
          scrape = registry.scrape();
        }
        TreeSet<String> temporalNames = new TreeSet<>();
        Matcher names = Pattern.compile("(?m)^(temporal_[a-z_]+)").matcher(scrape);
        while (names.find()) {
          temporalNames.add(names.group(1));
        }
        System.out.println("Temporal SDK metrics on /metrics: " + temporalNames);
        assertTrue(
            scrape.matches("(?s).*temporal_worker_task_slots_used\\{[^}]*task_queue=\"gpu\".*"),
            scrape);
        assertTrue(scrape.contains("worker_type=\"ActivityWorker\""), scrape);
      } finally {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
        scope.close();
      }
    }
  }
}
