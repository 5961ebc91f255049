package com.magicdistill.console.auth;

import com.magicdistill.db.TeamScope;
import java.util.List;

/**
 * Who calls the API: a team token (its id, team and scopes). Never holds the token itself.
 *
 * @param createdBy recorded on runs this caller creates ({@code token:<id>})
 */
public record ApiCaller(String tokenId, String teamId, List<String> scopes) {
  public TeamScope scope() {
    return TeamScope.team(teamId);
  }

  public String createdBy() {
    return "token:" + tokenId;
  }
}
