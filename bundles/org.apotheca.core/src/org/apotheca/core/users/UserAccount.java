package org.apotheca.core.users;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.apotheca.model.Role;

/**
 * One user as a site's staff list holds them, detached from CDO: what the console lists and what the node checks a
 * login against. {@code roles} are lower-case words in {@link Role} order ({@code pharmacist}, {@code manager});
 * {@code sites} is the home site first, then the other sites where the user may log in.
 * <p>
 * {@link #toString()} leaves the hash out, so a record printed or logged by mistake gives nothing away.
 */
public record UserAccount(String username, String displayName, Set<String> roles, boolean active, String passwordHash,
    String homeSiteId, List<String> sites) {

  public static final int MIN_USERNAME = 2;
  public static final int MAX_USERNAME = 32;
  public static final int MAX_DISPLAY_NAME = 60;

  private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]*");

  public UserAccount {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(homeSiteId, "homeSiteId");
    roles = Collections.unmodifiableSet(ordered(roles == null ? Set.of() : roles));
    sites = List.copyOf(sites == null ? List.of() : sites);
    displayName = displayName == null ? "" : displayName;
  }

  /** Whether the user has {@code role} (a lower-case word such as {@code pharmacist}). */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** Whether this account may log in at {@code siteId}: active, and the site is one of theirs. */
  public boolean mayLogInAt(String siteId) {
    return active && sites.contains(siteId);
  }

  @Override
  public String toString() {
    return "UserAccount[username=" + username + ", displayName=" + displayName + ", roles=" + roles + ", active=" + active
        + ", passwordHash=" + (passwordHash == null || passwordHash.isEmpty() ? "none" : "(hidden)") + ", homeSiteId="
        + homeSiteId + ", sites=" + sites + "]";
  }

  /**
   * The stored form of a username typed by someone: lower-case, 2-32 characters, a letter then letters, digits,
   * '.', '_' or '-'.
   *
   * @throws IllegalArgumentException with one sentence saying what is wrong
   */
  public static String username(String typed) {
    String u = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
    if (u.length() < MIN_USERNAME || u.length() > MAX_USERNAME || !USERNAME.matcher(u).matches()) {
      throw new IllegalArgumentException("'" + printable(typed) + "' is not a valid username: " + MIN_USERNAME + "-" + MAX_USERNAME
          + " characters, a letter first, then letters, digits, '.', '_' or '-'.");
    }
    return u;
  }

  /**
   * A display name as stored: trimmed, at most 60 characters, no double quote (console replies quote it) and no
   * control characters; {@code null} or blank gives {@code fallback}.
   */
  public static String displayName(String typed, String fallback) {
    if (typed == null || typed.isBlank()) {
      return fallback;
    }
    String d = typed.strip();
    if (d.length() > MAX_DISPLAY_NAME) {
      throw new IllegalArgumentException("The display name must be at most " + MAX_DISPLAY_NAME + " characters long.");
    }
    if (d.chars().anyMatch(c -> c == '"' || Character.isISOControl(c))) {
      throw new IllegalArgumentException("The display name must not contain double quotes or control characters.");
    }
    return d;
  }

  /**
   * The roles named in a comma-separated list of words ({@code pharmacist,manager}), in {@link Role} order.
   *
   * @throws IllegalArgumentException for an empty list or an unknown role
   */
  public static Set<String> roles(String commaSeparated) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : (commaSeparated == null ? "" : commaSeparated).split(",")) {
      if (!w.isBlank()) {
        out.add(role(w));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("A user needs at least one role (" + roleWords() + ").");
    }
    return Collections.unmodifiableSet(ordered(out));
  }

  /** The console word of a role: {@code PHARMACIST} is {@code pharmacist}. */
  public static String word(Role role) {
    return role.getName().toLowerCase(Locale.ROOT);
  }

  /** The Role of a console word. */
  public static Role toRole(String word) {
    return Objects.requireNonNull(Role.getByName(role(word).toUpperCase(Locale.ROOT)));
  }

  private static String role(String typed) {
    String w = typed.strip().toLowerCase(Locale.ROOT);
    for (Role r : Role.VALUES) {
      if (word(r).equals(w)) {
        return w;
      }
    }
    throw new IllegalArgumentException("Unknown role '" + printable(typed.strip()) + "' (roles: " + roleWords() + ").");
  }

  private static String roleWords() {
    List<String> words = new ArrayList<>();
    for (Role r : Role.VALUES) {
      words.add(word(r));
    }
    return String.join(", ", words);
  }

  private static Set<String> ordered(Set<String> roles) {
    Set<String> out = new LinkedHashSet<>();
    for (Role r : Role.VALUES) {
      if (roles.contains(word(r))) {
        out.add(word(r));
      }
    }
    if (out.size() != roles.size()) {
      for (String w : roles) {
        role(w); // names the unknown one
      }
    }
    return out;
  }

  // a refusal message must stay one readable line whatever was typed
  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    String p = s.codePoints().filter(c -> !Character.isISOControl(c))
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return p.length() > 40 ? p.substring(0, 40) + "..." : p;
  }
}
