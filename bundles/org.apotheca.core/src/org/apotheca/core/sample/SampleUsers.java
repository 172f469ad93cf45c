package org.apotheca.core.sample;

import java.util.List;

/**
 * The demo staff that the demo server config ({@code demo.users=true}) gives every site, as listed in docs/users.md.
 * The passwords are public on purpose: they exist for demos and tests, never for a real pharmacy.
 */
public final class SampleUsers {

  /** One demo user: role is a console word ({@code pharmacist}). */
  public record DemoUser(String username, String displayName, String role, String password) {

    @Override
    public String toString() {
      return "DemoUser[" + username + ", " + role + "]";
    }
  }

  public static final List<DemoUser> ALL = List.of(
      new DemoUser("alice", "Alice Pharmacist", "pharmacist", "alice-demo"),
      new DemoUser("bob", "Bob Assistant", "assistant", "bob-demo"),
      new DemoUser("maria", "Maria Manager", "manager", "maria-demo"),
      new DemoUser("admin", "Demo Administrator", "admin", "admin-demo"));

  private SampleUsers() {
  }
}
