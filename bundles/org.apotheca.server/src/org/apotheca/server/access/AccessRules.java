package org.apotheca.server.access;

import org.apotheca.core.Repositories;

/**
 * What each kind of principal may do with each repository at central. One place, so that the session gate and the
 * read and write handlers cannot disagree.
 */
public final class AccessRules {

  private AccessRules() {
  }

  /** @return null if allowed, else the sentence to refuse with */
  public static String openRefusal(Principal who, String repository) {
    return switch (who.kind()) {
      case CONSOLE, STAFF, DEVELOPER -> null;
      case SITE -> Repositories.CATALOGUE.equals(repository) || Repositories.siteRepository(who.name()).equals(repository)
          ? null
          : who + " may open the catalogue and " + Repositories.siteRepository(who.name()) + " only, not " + repository;
    };
  }

  /** @return null if allowed, else the sentence to refuse with */
  public static String commitRefusal(Principal who, String repository) {
    String open = openRefusal(who, repository);
    if (open != null) {
      return open;
    }
    if (who.kind() == Principal.Kind.SITE && Repositories.CATALOGUE.equals(repository)) {
      return who + " may not change the catalogue: only central changes it";
    }
    return null;
  }
}
