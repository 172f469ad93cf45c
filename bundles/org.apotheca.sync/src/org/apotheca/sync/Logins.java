package org.apotheca.sync;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

import org.apotheca.core.users.PasswordHash;
import org.apotheca.core.users.UserAccount;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.Session;

/**
 * Who is logged in at which till of this pharmacy. Passwords are checked here, at the node, against the salted slow
 * hash central sent with the site's staff list, so login works while central is unreachable.
 * <p>
 * A wrong password makes the next attempt for that user name wait: 1 s, 2 s, 4 s ... up to 60 s. The wait is a
 * refusal with a time, not a sleep, so a till (or an attacker) cannot tie up the node's threads with it. An unknown
 * user name costs the same hash computation and gets the same answer as a wrong password, so names cannot be
 * probed. Tokens, passwords and hashes never reach a log line.
 */
final class Logins {

  private static final Logger LOG = Logger.getLogger(Logins.class.getName());
  private static final long MAX_WAIT_MS = 60_000;
  /** Verified against when the user name is unknown, so that costs the same time as a wrong password. */
  private static final String DECOY = PasswordHash.hash("decoy-password-never-valid".toCharArray());

  private record Failures(int count, long notBefore) {
  }

  private final Clock clock;
  private final String siteId;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  Logins(String siteId, Clock clock) {
    this.siteId = siteId;
    this.clock = clock;
  }

  Session login(String tillId, String username, char[] password, Function<String, UserAccount> staff) {
    String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    if (name.isEmpty() || password == null || password.length == 0) {
      throw new NodeException(Refusal.LOGIN_FAILED, "Enter your user name and password.");
    }
    if (name.length() > 64 || password.length > 256) {
      throw new NodeException(Refusal.LOGIN_FAILED, "Wrong user name or password.");
    }
    long now = clock.millis();
    Failures f = failures.get(name);
    if (f != null && now < f.notBefore()) {
      long seconds = (f.notBefore() - now + 999) / 1000;
      throw new NodeException(Refusal.LOGIN_FAILED, "Too many wrong passwords for " + name + ": wait " + seconds
          + " s before trying again.");
    }
    UserAccount found = staff.apply(name);
    // on this site's staff list but not allowed here (a copy left from a site change): as if unknown
    UserAccount account = found != null && found.sites().contains(siteId) ? found : null;
    boolean ok = PasswordHash.verify(password, account == null ? DECOY : account.passwordHash()) && account != null;
    if (!ok) {
      int count = f == null ? 1 : f.count() + 1;
      long wait = Math.min(MAX_WAIT_MS, 1000L << Math.min(count - 1, 16));
      failures.put(name, new Failures(count, clock.millis() + wait));
      LOG.info(() -> "Login refused at " + tillId + " for user name '" + name + "' (" + count + " in a row)");
      throw new NodeException(Refusal.LOGIN_FAILED, "Wrong user name or password."
          + (count > 1 ? " Wait " + wait / 1000 + " s before the next try." : ""));
    }
    if (!account.active()) {
      LOG.info(() -> "Login refused at " + tillId + ": user " + name + " is disabled");
      throw new NodeException(Refusal.USER_DISABLED, "This account is disabled: ask your manager.");
    }
    failures.remove(name);
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Session session = new Session(token, account.username(), displayName(account), roles(account), siteId, tillId);
    sessions.put(token, session);
    LOG.info(() -> "User " + account.username() + " logged in at " + tillId);
    return session;
  }

  void logout(String token) {
    Session s = token == null ? null : sessions.remove(token);
    if (s != null) {
      LOG.info(() -> "User " + s.username() + " logged out at " + s.tillId());
    }
  }

  /** The session if its user is still known and active here; a disabled user's sessions end at once. */
  Session check(String token, Function<String, UserAccount> staff) {
    Session s = token == null ? null : sessions.get(token);
    if (s == null) {
      throw new NodeException(Refusal.NOT_LOGGED_IN, "Not logged in (or the session ended): log in again.");
    }
    UserAccount account = staff.apply(s.username());
    if (account == null || !account.mayLogInAt(siteId)) {
      sessions.remove(token);
      LOG.info(() -> "Session of " + s.username() + " at " + s.tillId() + " ended: the user is no longer active here");
      throw new NodeException(Refusal.USER_DISABLED, "Your account was disabled by central: you have been logged out.");
    }
    return s;
  }

  /** The session, refused unless its user has one of {@code allowed}. */
  Session require(String token, Function<String, UserAccount> staff, String action, Role... allowed) {
    Session s = check(token, staff);
    for (Role r : allowed) {
      if (s.has(r)) {
        return s;
      }
    }
    StringBuilder who = new StringBuilder();
    for (Role r : allowed) {
      who.append(who.length() == 0 ? "" : " or ").append(r.word());
    }
    throw new NodeException(Refusal.NOT_ALLOWED, "Only a " + who + " may " + action + ".");
  }

  private static String displayName(UserAccount a) {
    return a.displayName() == null || a.displayName().isBlank() ? a.username() : a.displayName();
  }

  private static Set<Role> roles(UserAccount a) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String word : a.roles()) {
      try {
        roles.add(Role.parse(word));
      } catch (IllegalArgumentException unknownToThisVersion) {
        // a role a newer central knows: grants nothing here
      }
    }
    return roles;
  }
}
