package org.apotheca.node.api;

import java.util.Set;

/**
 * A person logged in at a till. The token is the session's secret: never logged, never shown.
 *
 * @param displayName the name the till shows ("Alice Smith"); the user name when central gave none
 */
public record Session(String token, String username, String displayName, Set<Role> roles, String siteId, String tillId) {

  public Session {
    roles = Set.copyOf(roles);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  @Override
  public String toString() { // keeps the token out of logs and error messages
    return "Session[" + username + "@" + siteId + "/" + tillId + " " + roles + "]";
  }
}
