package com.magicdistill.db;

/**
 * Whose rows a query may see: one team's, or every team's for an admin. Every console query takes
 * one, so another team's run reads as absent (the API answers 404, never 403).
 *
 * @param teamId the caller's team
 * @param allTeams true for a console admin, who sees every team
 */
public record TeamScope(String teamId, boolean allTeams) {
  public TeamScope {
    if (teamId == null || teamId.isBlank()) {
      throw new IllegalArgumentException("teamId is missing");
    }
  }

  public static TeamScope team(String teamId) {
    return new TeamScope(teamId, false);
  }

  /** SQL condition on {@code <alias>.team_id} (bind {@link #teamId()} once when not all teams). */
  String condition(String column) {
    return allTeams ? "true" : column + " = ?";
  }

  Object[] params() {
    return allTeams ? new Object[0] : new Object[] {teamId};
  }
}
