package org.apotheca.ui.dispensary;

import org.apotheca.ui.till.TillScreen;
import org.eclipse.swt.widgets.Shell;

/** F3 at the till (plugin.xml): the controlled-drugs register, its notes, printout and balance check. */
public final class RegisterScreen implements TillScreen {

  @Override
  public void open(Shell till) {
    new RegisterWindow(till).open();
  }
}
