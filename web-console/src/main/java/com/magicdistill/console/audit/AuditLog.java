package com.magicdistill.console.audit;

import com.magicdistill.console.auth.ApiCaller;
import com.magicdistill.console.platform.ConsoleBackends;
import com.magicdistill.db.AuditLogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * Writes the audit log: the actor is the signed-in user or the API token of this request (or {@code
 * system} outside one, e.g. a schedule's tick, unless given). A failed write is logged, never
 * undoes the action it records.
 */
@Component
public class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final AuditLogRepository repository;

  public AuditLog(ConsoleBackends backends) {
    this.repository = new AuditLogRepository(backends.dataSource());
  }

  /** An action on a run. */
  public void run(String teamId, String action, String runId) {
    write(currentActor(), teamId, action, runId, null);
  }

  /**
   * An action on a run by a known actor (a launch records its creator; a rerun, as target, the run
   * it copies).
   */
  public void run(String actor, String teamId, String action, String runId, String source) {
    write(actor, teamId, action, runId, source == null ? null : "run:" + source);
  }

  /** An action on something else: {@code target} such as {@code token:<id>}. */
  public void other(String teamId, String action, String target) {
    write(currentActor(), teamId, action, null, target);
  }

  public AuditLogRepository repository() {
    return repository;
  }

  private void write(String actor, String teamId, String action, String runId, String target) {
    try {
      repository.record(actor, teamId, action, runId, target);
    } catch (RuntimeException e) {
      LOG.warn(
          "audit log: could not record {} by {} ({}): {}", action, actor, teamId, e.toString());
    }
  }

  static String currentActor() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    if (a == null) {
      return "system";
    }
    Object p = a.getPrincipal();
    if (p instanceof ApiCaller c) {
      return c.createdBy();
    }
    if (p instanceof UserDetails u) {
      return u.getUsername();
    }
    return a.getName();
  }
}
