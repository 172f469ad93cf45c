package org.apotheca.core.users;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apotheca.core.Repositories;
import org.apotheca.model.Role;
import org.apotheca.model.SiteStaff;
import org.apotheca.model.User;
import org.eclipse.emf.cdo.eresource.CDOResource;
import org.eclipse.emf.cdo.view.CDOView;
import org.eclipse.emf.ecore.EObject;

/**
 * Reads a pharmacy's staff list ({@link Repositories#staffResource}) from a view of its repository, at central or
 * on the node's clone. Only plain {@link UserAccount} records come out: a live CDO object would keep the view
 * alive and change under the caller when central commits.
 */
public final class StaffReader {

  private StaffReader() {
  }

  /** Everyone on the site's staff list, by username; empty when central has written no staff list yet. */
  public static List<UserAccount> read(CDOView view, String siteId) {
    String path = Repositories.staffResource(siteId);
    if (!view.hasResource(path)) {
      return List.of();
    }
    CDOResource resource = view.getResource(path);
    List<UserAccount> out = new ArrayList<>();
    for (EObject root : resource.getContents()) {
      if (root instanceof SiteStaff staff) {
        for (User u : staff.getUsers()) {
          out.add(account(u));
        }
      }
    }
    out.sort(Comparator.comparing(UserAccount::username));
    return List.copyOf(out);
  }

  /** The user of that name on the site's staff list, if any. */
  public static Optional<UserAccount> find(CDOView view, String siteId, String username) {
    return read(view, siteId).stream().filter(u -> u.username().equals(username)).findFirst();
  }

  /** A detached copy of one User (the caller holds the view). */
  public static UserAccount account(User u) {
    Set<String> roles = new LinkedHashSet<>();
    for (Role r : u.getRoles()) {
      roles.add(UserAccount.word(r));
    }
    List<String> sites = new ArrayList<>();
    sites.add(u.getHomeSiteId());
    for (String s : u.getAdditionalSiteIds()) {
      if (!sites.contains(s)) {
        sites.add(s);
      }
    }
    return new UserAccount(u.getUsername(), u.getDisplayName(), roles, u.isActive(), u.getPasswordHash(), u.getHomeSiteId(),
        sites);
  }
}
