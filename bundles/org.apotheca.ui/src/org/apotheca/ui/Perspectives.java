package org.apotheca.ui;

/** The two screens of the window: the login screen and the till. */
public final class Perspectives {

  public static final String LOGIN = "org.apotheca.ui.login";
  public static final String TILL = "org.apotheca.ui.till";
  /** The till view, contributed by org.apotheca.ui.till; the shell lays it out by id only. */
  public static final String TILL_VIEW = "org.apotheca.ui.till.view";

  private Perspectives() {
  }
}
