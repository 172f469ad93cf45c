package org.apotheca.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.sample.SampleUsers;
import org.apotheca.core.users.PasswordHash;
import org.apotheca.core.users.StaffReader;
import org.apotheca.core.users.UserAccount;
import org.apotheca.model.ApothecaFactory;
import org.apotheca.model.ApothecaPackage;
import org.apotheca.model.Role;
import org.apotheca.model.SiteStaff;
import org.apotheca.model.User;
import org.apotheca.model.ownership.Bounds;
import org.apotheca.model.ownership.Ownership;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.net4j.CDONet4jSession;
import org.eclipse.emf.cdo.transaction.CDOTransaction;
import org.eclipse.emf.cdo.util.CommitException;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.ecore.EObject;

/**
 * Central's user administration: writes each pharmacy's staff list ({@link Repositories#staffResource}) into that
 * pharmacy's own repository, never into the catalogue, so that a password hash reaches only the nodes where its user
 * may log in. A user who may log in at several sites has an identical copy in each of their staff lists.
 * <p>
 * Every check is made before the first commit, so a refused command changes nothing. A change is one commit per site
 * repository (CDO has no commit across repositories); each write makes a copy equal to the user as it should be, so
 * repeating a command after a failure half-way brings every copy level. Usernames are unique across the chain: there
 * is no central index of users yet, so finding one reads the staff list of every site (fine for tens of sites; an
 * index would be needed for thousands).
 * <p>
 * No password or hash ever appears in a log line, a commit comment, a reply or an exception message.
 */
public final class UserAdmin {

  private static final Logger LOG = Logger.getLogger(UserAdmin.class.getName());

  private static final ApothecaFactory F = ApothecaFactory.eINSTANCE;

  /** Who the demo seeding says it is in commit comments. */
  static final String DEMO_AUTHOR = "demo.users";

  private final CentralServer server;

  UserAdmin(CentralServer server) {
    this.server = server;
  }

  /** What a change did: the user as now stored, and the sites whose copy it had to write (none if all were level). */
  public record Change(UserAccount user, List<String> written) {
  }

  /** A user with the stored fields the console does not show, so every copy is written identical. */
  private record Entry(String id, String professionalRegistration, UserAccount account) {
  }

  /**
   * Adds a user who may log in at {@code sites} (the first is the home site).
   *
   * @param password cleared by the caller
   */
  public synchronized Change add(String typedUsername, List<String> sites, String roleList, char[] password, String typedDisplayName,
      String by) {
    String username = UserAccount.username(typedUsername);
    List<String> siteIds = knownSites(sites);
    Set<String> roles = UserAccount.roles(roleList);
    String display = UserAccount.displayName(typedDisplayName, username);
    String weak = PasswordHash.checkStrength(password, username);
    if (weak != null) {
      throw new IllegalArgumentException(weak);
    }
    Map<String, List<UserAccount>> staff = readAll(server.siteIds());
    for (Map.Entry<String, List<UserAccount>> e : staff.entrySet()) {
      for (UserAccount u : e.getValue()) {
        if (u.username().equals(username)) {
          throw new IllegalArgumentException("User '" + username + "' exists already (sites " + String.join(",", u.sites())
              + "): choose another username, or use 'apotheca user passwd|disable|enable'.");
        }
      }
    }
    int max = Bounds.max(ApothecaPackage.Literals.SITE_STAFF__USERS);
    for (String site : siteIds) {
      if (staff.get(site).size() >= max) {
        throw new IllegalArgumentException("The staff list of site " + site + " is full (" + max + " users).");
      }
    }
    UserAccount account = new UserAccount(username, display, roles, true, PasswordHash.hash(password), siteIds.get(0), siteIds);
    Entry entry = new Entry(Ownership.newId(), null, account);
    List<String> written = writeEverywhere(entry, who(by) + ": user " + username + " added (roles " + String.join(",", roles)
        + "; sites " + String.join(",", siteIds) + ")");
    LOG.info(() -> "user " + username + " added at sites " + siteIds + " by " + who(by));
    return new Change(account, written);
  }

  /** Sets a new password on every copy of the user. */
  public synchronized Change passwd(String typedUsername, char[] password, String by) {
    Entry found = locate(UserAccount.username(typedUsername));
    String username = found.account().username();
    String weak = PasswordHash.checkStrength(password, username);
    if (weak != null) {
      throw new IllegalArgumentException(weak);
    }
    UserAccount a = found.account();
    Entry entry = new Entry(found.id(), found.professionalRegistration(), new UserAccount(username, a.displayName(), a.roles(),
        a.active(), PasswordHash.hash(password), a.homeSiteId(), a.sites()));
    List<String> written = writeEverywhere(entry, who(by) + ": password of user " + username + " changed");
    LOG.info(() -> "password of user " + username + " changed at sites " + a.sites() + " by " + who(by));
    return new Change(entry.account(), written);
  }

  /** Disables or enables the user on every copy; no commit where a copy is already so. */
  public synchronized Change setActive(String typedUsername, boolean active, String reason, String by) {
    Entry found = locate(UserAccount.username(typedUsername));
    UserAccount a = found.account();
    Entry entry = new Entry(found.id(), found.professionalRegistration(),
        new UserAccount(a.username(), a.displayName(), a.roles(), active, a.passwordHash(), a.homeSiteId(), a.sites()));
    String what = "user " + a.username() + (active ? " enabled" : " disabled")
        + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
    List<String> written = writeEverywhere(entry, who(by) + ": " + what);
    LOG.info(() -> what + " at sites " + written + " by " + who(by));
    return new Change(entry.account(), written);
  }

  /** The users of one site, or of every site (each user once), by username. */
  public List<UserAccount> list(String siteOrNull) {
    List<String> sites = siteOrNull == null ? server.siteIds() : knownSites(List.of(siteOrNull));
    Map<String, UserAccount> byName = new TreeMap<>();
    for (Map.Entry<String, List<UserAccount>> e : readAll(sites).entrySet()) {
      for (UserAccount u : e.getValue()) {
        // the home site's copy speaks for the user if copies ever differ (a change that failed half-way)
        if (!byName.containsKey(u.username()) || e.getKey().equals(u.homeSiteId())) {
          byName.put(u.username(), u);
        }
      }
    }
    return List.copyOf(byName.values());
  }

  /**
   * Gives the demo users ({@link SampleUsers}) to every site whose staff list is empty: each demo user is one person
   * who may log in at all those sites (home: the first). A demo user who exists already is extended to the new sites
   * (its copies elsewhere are rewritten to list them, so all stay identical); a password is hashed only for a user
   * created now, once however many sites get it.
   *
   * @return the sites that received demo users
   */
  synchronized List<String> seedDemoUsers() throws CommitException {
    List<String> all = server.siteIds();
    Map<String, List<UserAccount>> staff = readAll(all);
    List<String> empty = new ArrayList<>();
    for (String site : all) {
      if (staff.get(site).isEmpty()) {
        empty.add(site);
      }
    }
    if (empty.isEmpty()) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    for (SampleUsers.DemoUser d : SampleUsers.ALL) {
      Entry existing = null;
      for (String site : all) {
        if (existing == null && !staff.get(site).isEmpty()) {
          existing = findEntry(site, d.username());
        }
      }
      if (existing == null) {
        char[] pw = d.password().toCharArray();
        try {
          entries.add(new Entry(Ownership.newId(), null, new UserAccount(d.username(), d.displayName(), Set.of(d.role()), true,
              PasswordHash.hash(pw), empty.get(0), empty)));
        } finally {
          Arrays.fill(pw, '\0');
        }
      } else {
        UserAccount a = existing.account();
        Set<String> sites = new LinkedHashSet<>(a.sites());
        sites.addAll(empty);
        entries.add(new Entry(existing.id(), existing.professionalRegistration(), new UserAccount(a.username(), a.displayName(),
            a.roles(), a.active(), a.passwordHash(), a.homeSiteId(), List.copyOf(sites))));
      }
    }
    Set<String> touched = new LinkedHashSet<>();
    for (Entry e : entries) {
      touched.addAll(e.account().sites());
    }
    for (String site : touched) {
      List<Entry> here = entries.stream().filter(e -> e.account().sites().contains(site)).toList();
      writeCopies(site, here, DEMO_AUTHOR + ": demo users " + String.join(",", SampleUsers.ALL.stream().map(SampleUsers.DemoUser::username)
          .toList()) + " for sites " + String.join(",", empty));
    }
    LOG.info(() -> "demo users " + SampleUsers.ALL + " given to sites " + empty);
    return empty;
  }

  // ---- reading

  private List<String> knownSites(List<String> typed) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : typed) {
      for (String s : t.split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("Name at least one site: --site <id>[,<id>...].");
    }
    List<String> known = server.siteIds();
    for (String s : out) {
      Repositories.checkSiteId(s);
      if (!known.contains(s)) {
        throw new IllegalArgumentException("No site '" + s + "' on this server (known: " + known + ").");
      }
    }
    return List.copyOf(out);
  }

  private Map<String, List<UserAccount>> readAll(List<String> sites) {
    Map<String, List<UserAccount>> out = new LinkedHashMap<>();
    for (String site : sites) {
      CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(site));
      try {
        out.put(site, StaffReader.read(session.openView(), site));
      } finally {
        session.close();
      }
    }
    return out;
  }

  /** The user's copy at the first site that has one (the home site's when it is there). */
  private Entry locate(String username) {
    Entry first = null;
    for (String site : server.siteIds()) {
      Entry e = findEntry(site, username);
      if (e != null) {
        if (site.equals(e.account().homeSiteId())) {
          return e;
        }
        if (first == null) {
          first = e;
        }
      }
    }
    if (first == null) {
      throw new IllegalArgumentException("No user '" + username + "' on any site's staff list.");
    }
    return first;
  }

  private Entry findEntry(String site, String username) {
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(site));
    try {
      CDOView view = session.openView();
      SiteStaff staff = staff(view, site);
      if (staff != null) {
        for (User u : staff.getUsers()) {
          if (u.getUsername().equals(username)) {
            return new Entry(u.getId(), u.getProfessionalRegistration(), StaffReader.account(u));
          }
        }
      }
      return null;
    } finally {
      session.close();
    }
  }

  private static SiteStaff staff(CDOView view, String site) {
    String path = Repositories.staffResource(site);
    if (!view.hasResource(path)) {
      return null;
    }
    for (EObject root : view.getResource(path).getContents()) {
      if (root instanceof SiteStaff s) {
        return s;
      }
    }
    return null;
  }

  // ---- writing

  /** Writes the user's copy at each of their sites; says which sites were done if one fails. */
  private List<String> writeEverywhere(Entry entry, String comment) {
    List<String> sites = entry.account().sites();
    List<String> known = server.siteIds();
    for (String s : sites) {
      if (!known.contains(s)) {
        throw new IllegalStateException("Site " + s + " of user " + entry.account().username() + " is not on this server: nothing changed.");
      }
    }
    List<String> written = new ArrayList<>();
    for (int i = 0; i < sites.size(); i++) {
      try {
        if (writeCopies(sites.get(i), List.of(entry), comment)) {
          written.add(sites.get(i));
        }
      } catch (CommitException | RuntimeException e) {
        // no cause attached: the consoles print the root cause's message, which would bypass redact()
        List<String> left = sites.subList(i, sites.size());
        throw new IllegalStateException("User " + entry.account().username() + " was written at sites " + written + " but not at " + left
            + " (" + redact(CdoClient.rootMessage(e), entry) + "). Repeat the command (after a failed add: 'apotheca user passwd') "
            + "to bring every copy level.");
      }
    }
    return written;
  }

  /**
   * Makes the site's copies of {@code entries} equal to them, in one commit, creating the staff list if the site has
   * none yet.
   *
   * @return false when every copy was equal already (no commit)
   */
  private boolean writeCopies(String site, List<Entry> entries, String comment) throws CommitException {
    CDONet4jSession session = server.openLocalSession(Repositories.siteRepository(site));
    try {
      CDOTransaction tx = session.openTransaction();
      SiteStaff staff = staff(tx, site);
      if (staff == null) {
        staff = Ownership.stamp(F.createSiteStaff(), Ownership.CENTRAL_SITE_ID);
        staff.setPharmacySiteId(site);
        CDOResource resource = tx.getOrCreateResource(Repositories.staffResource(site));
        resource.getContents().add(staff);
      }
      boolean changed = false;
      for (Entry e : entries) {
        User u = null;
        for (User candidate : staff.getUsers()) {
          if (candidate.getUsername().equals(e.account().username())) {
            u = candidate;
          }
        }
        if (u == null) {
          u = F.createUser();
          staff.getUsers().add(u);
        }
        changed |= apply(u, e);
      }
      if (!changed) {
        tx.close();
        return false;
      }
      tx.setCommitComment(comment);
      tx.commit();
      return true;
    } finally {
      session.close();
    }
  }

  /** Sets every stored field of {@code u} from {@code e}; whether anything differed. */
  private static boolean apply(User u, Entry e) {
    UserAccount a = e.account();
    List<Role> roles = a.roles().stream().map(UserAccount::toRole).toList();
    List<String> additional = a.sites().stream().filter(s -> !s.equals(a.homeSiteId())).toList();
    boolean same = e.id().equals(u.getId()) && Ownership.CENTRAL_SITE_ID.equals(u.getSiteId()) && a.username().equals(u.getUsername())
        && a.displayName().equals(u.getDisplayName()) && Objects.equals(a.passwordHash(), u.getPasswordHash())
        && roles.equals(List.copyOf(u.getRoles())) && Objects.equals(e.professionalRegistration(), u.getProfessionalRegistration())
        && a.active() == u.isActive() && a.homeSiteId().equals(u.getHomeSiteId())
        && additional.equals(List.copyOf(u.getAdditionalSiteIds()));
    if (same) {
      return false;
    }
    u.setId(e.id());
    u.setSiteId(Ownership.CENTRAL_SITE_ID);
    u.setUsername(a.username());
    u.setDisplayName(a.displayName());
    u.setPasswordHash(a.passwordHash());
    if (!roles.equals(List.copyOf(u.getRoles()))) {
      u.getRoles().clear();
      u.getRoles().addAll(roles);
    }
    u.setProfessionalRegistration(e.professionalRegistration());
    u.setActive(a.active());
    u.setHomeSiteId(a.homeSiteId());
    if (!additional.equals(List.copyOf(u.getAdditionalSiteIds()))) {
      u.getAdditionalSiteIds().clear();
      u.getAdditionalSiteIds().addAll(additional);
    }
    return true;
  }

  private static String who(String by) {
    return by == null || by.isBlank() ? "central-console" : by.strip();
  }

  /** CDO's messages name objects, not values; this is the belt to those braces. */
  private static String redact(String message, Entry e) {
    String hash = e.account().passwordHash();
    if (message == null || hash == null || hash.isEmpty()) {
      return message;
    }
    String out = message.replace(hash, "(hash)");
    for (String part : hash.split("\\$")) {
      if (part.length() >= 8) {
        out = out.replace(part, "(hash)");
      }
    }
    return out;
  }
}
