package org.apotheca.ui.dispensary;

import org.eclipse.swt.widgets.Shell;

/** How the till opens the dispensary's screens (F2, F3); each returns when its window is closed. */
public final class DispensaryScreens {

  private DispensaryScreens() {
  }

  /** The dispensary: patient, prescriber, prescription, warnings, dispensing, label, history. */
  public static void dispensary(Shell parent) {
    new DispensaryWindow(parent).open();
  }

  /** The controlled-drugs register: drugs, entries with running balance, notes, print, balance check. */
  public static void register(Shell parent) {
    new RegisterWindow(parent).open();
  }
}
